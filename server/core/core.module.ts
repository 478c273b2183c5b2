import { Global, Module, type DynamicModule } from '@nestjs/common'
import type { PlumbConfig } from '../../ingest/config.js'
import type { Network } from '../../ingest/networks/index.js'
import type { Db } from '../../ingest/store/db.js'
import { DisclosureService } from './disclosure.service.js'
import { MetricSqlService } from './metric-sql.service.js'
import { RangeService } from './range.service.js'
import { SqlService } from './sql.service.js'
import { CATALOG, CONFIG, DB } from './tokens.js'

export interface CoreDeps {
  config: PlumbConfig
  db: Db
  catalog: Network[]
}

/** Makes the database, the validated catalog and the config injectable everywhere. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(deps: CoreDeps): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: CONFIG, useValue: deps.config },
        { provide: DB, useValue: deps.db },
        { provide: CATALOG, useValue: deps.catalog },
        SqlService,
        DisclosureService,
        RangeService,
        MetricSqlService,
      ],
      exports: [CONFIG, DB, CATALOG, SqlService, DisclosureService, RangeService, MetricSqlService],
    }
  }
}
