/** The @apifault/server mechanisms the emulator uses, gathered so the dependency is visible in one place. */

export {
  type App,
  type AuthOptions,
  authenticate,
  type Context,
  callUpstream,
  checkPreconditions,
  conflictError,
  connectRedisStore,
  createApp,
  createRateLimiter,
  installClientErrorHandler,
  isSaneId,
  type MaintenanceCheck,
  maintenance,
  notImplementedRoute,
  parseBearer,
  type RateLimiter,
  type RateLimitRequest,
  sendError,
} from '@apifault/server';
