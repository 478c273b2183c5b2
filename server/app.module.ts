import { join } from 'node:path'
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled'
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo'
import { Module, type DynamicModule } from '@nestjs/common'
import { APP_FILTER, APP_GUARD } from '@nestjs/core'
import { GraphQLModule } from '@nestjs/graphql'
import { ServeStaticModule } from '@nestjs/serve-static'
import { ThrottlerModule } from '@nestjs/throttler'
import { ROOT_DIR } from '../ingest/store/paths.js'
import { CompareModule } from './compare/compare.module.js'
import { CoreModule, type CoreDeps } from './core/core.module.js'
import { DefinitionsModule } from './definitions/definitions.module.js'
import { EconomicsModule } from './economics/economics.module.js'
import { explorerLandingPage } from './explorer/explorer.plugin.js'
import { ExportModule } from './export/export.module.js'
import { FlowsModule } from './flows/flows.module.js'
import { HardwareModule } from './hardware/hardware.module.js'
import { JobsModule } from './jobs/jobs.module.js'
import { MetaModule } from './meta/meta.module.js'
import { NetworksModule } from './networks/networks.module.js'
import { NodesModule } from './nodes/nodes.module.js'
import { PricesModule } from './prices/prices.module.js'
import { ReliabilityModule } from './reliability/reliability.module.js'
import { RetentionModule } from './retention/retention.module.js'
import { armor, parseOptions } from './safety/armor.js'
import { formatError } from './safety/format-error.js'
import { GqlPassThroughFilter } from './safety/gql-exception.filter.js'
import { GqlThrottlerGuard } from './safety/gql-throttler.guard.js'
import { SupplyModule } from './supply/supply.module.js'
import { TelemetryModule } from './telemetry/telemetry.module.js'
import { UtilizationModule } from './utilization/utilization.module.js'

export const WEB_DIST = join(ROOT_DIR, 'web', 'dist')

@Module({})
export class AppModule {
  static forRoot(deps: CoreDeps): DynamicModule {
    const { plugins, validationRules } = armor()
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
          context: ({ req, res }: { req: unknown; res: unknown }) => ({ req, res }),
          // graphql-armor is built against @apollo/server's CommonJS types, NestJS against its ESM ones.
          // NestJS disables Apollo's default landing page (playground: false); the explorer replaces it.
          plugins: [
            ...(plugins as NonNullable<ApolloDriverConfig['plugins']>),
            explorerLandingPage(join(WEB_DIST, 'explorer', 'index.html')),
            // No HTTP cache hints are sent: without it, every field of every response skips a hook.
            ApolloServerPluginCacheControlDisabled(),
          ],
          validationRules,
          parseOptions,
          allowBatchedHttpRequests: false,
          includeStacktraceInErrorResponses: false,
          autoTransformHttpErrors: false,
          formatError,
        }),
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'api', ttl: 60_000, limit: deps.config.PLUMB_API_RATE_LIMIT }],
        }),
        ServeStaticModule.forRoot({
          rootPath: WEB_DIST,
          exclude: ['/graphql{*rest}', '/healthz', '/ingest/{*rest}', '/export/{*rest}', '/v1/{*rest}'],
        }),
        NetworksModule,
        MetaModule,
        FlowsModule,
        TelemetryModule,
        EconomicsModule,
        SupplyModule,
        UtilizationModule,
        ReliabilityModule,
        RetentionModule,
        HardwareModule,
        PricesModule,
        NodesModule,
        JobsModule,
        CompareModule,
        DefinitionsModule,
        ExportModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: GqlThrottlerGuard },
        { provide: APP_FILTER, useClass: GqlPassThroughFilter },
      ],
    }
  }
}
