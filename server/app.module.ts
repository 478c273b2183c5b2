import { join } from 'node:path'
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo'
import { Module, type DynamicModule } from '@nestjs/common'
import { GraphQLModule } from '@nestjs/graphql'
import { ServeStaticModule } from '@nestjs/serve-static'
import { ROOT_DIR } from '../ingest/store/paths.js'
import { CoreModule, type CoreDeps } from './core/core.module.js'
import { FlowsModule } from './flows/flows.module.js'
import { MetaModule } from './meta/meta.module.js'
import { NetworksModule } from './networks/networks.module.js'
import { TelemetryModule } from './telemetry/telemetry.module.js'

export const WEB_DIST = join(ROOT_DIR, 'web', 'dist')

@Module({})
export class AppModule {
  static forRoot(deps: CoreDeps): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(deps),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          introspection: true,
          playground: false,
          buildSchemaOptions: { dateScalarMode: 'isoDate' },
        }),
        ServeStaticModule.forRoot({
          rootPath: WEB_DIST,
          exclude: ['/graphql{*rest}', '/healthz', '/ingest/{*rest}', '/export/{*rest}', '/v1/{*rest}'],
        }),
        NetworksModule,
        MetaModule,
        FlowsModule,
        TelemetryModule,
      ],
    }
  }
}
