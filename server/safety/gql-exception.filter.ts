import { ArgumentsHost, Catch } from '@nestjs/common'
import { BaseExceptionFilter } from '@nestjs/core'
import type { GqlContextType, GqlExceptionFilter } from '@nestjs/graphql'

/**
 * Hands resolver errors to Apollo as they are: client errors (BAD_USER_INPUT) are not server
 * errors to log, and unexpected ones are logged once, by formatError, which also hides them.
 * HTTP routes keep Nest's default handling.
 */
@Catch()
export class GqlPassThroughFilter extends BaseExceptionFilter implements GqlExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<GqlContextType>() === 'graphql') return exception
    return super.catch(exception, host)
  }
}
