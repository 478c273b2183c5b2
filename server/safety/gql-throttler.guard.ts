import { Injectable, type ExecutionContext } from '@nestjs/common'
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql'
import { ThrottlerGuard } from '@nestjs/throttler'

interface HttpPair {
  req: Record<string, unknown>
  res: Record<string, unknown>
}

/**
 * Rate limit per client (IP) for GraphQL operations and exports. GraphQL resolvers get the request
 * from the GqlExecutionContext; only root fields are guarded (field resolvers are not), and every
 * root field of a request counts. Other HTTP routes (health, telemetry ingest, static files) are not
 * limited here: telemetry has its own per-node limits.
 */
@Injectable()
export class GqlThrottlerGuard extends ThrottlerGuard {
  protected override getRequestResponse(context: ExecutionContext): HttpPair {
    if (context.getType<GqlContextType>() === 'graphql') {
      const ctx = GqlExecutionContext.create(context).getContext<{
        req: HttpPair['req']
        res?: HttpPair['res']
      }>()
      return { req: ctx.req, res: ctx.res ?? (ctx.req.res as HttpPair['res']) }
    }
    return super.getRequestResponse(context) as HttpPair
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType<GqlContextType>() === 'graphql') return false
    const { req } = super.getRequestResponse(context) as HttpPair
    const path = typeof req.path === 'string' ? req.path : ''
    return !path.startsWith('/export/')
  }

  /** One budget per client, whatever the field or route. */
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`
  }
}
