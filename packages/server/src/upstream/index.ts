/** 502/504: calling an upstream service, with every failure mapped to the contract. */

export {
  type CallUpstreamOptions,
  callUpstream,
  type UpstreamRequestInit,
} from './call-upstream.js';
export { upstreamApiError, upstreamNetworkError } from './network-failure.js';
export {
  UpstreamError,
  type UpstreamErrorOptions,
  type UpstreamFailureKind,
} from './upstream-error.js';
