/** @apifault/proxy: the Partner Center error contract's faults and checks in front of any real API. */

export { PROXY_USAGE, type ProxyCliIo, type ProxyCliStream, proxyCli } from './cli.js';
export { FAULTS_PATH } from './control-routes.js';
export {
  type Har,
  type HarEntry,
  type HarHeader,
  HarRecorder,
  type RecordedExchange,
} from './har.js';
export { endToEndHeaders, type HeaderMap, isHopByHop } from './hop-by-hop.js';
export { type ProxyOptions, type RunningProxy, startProxy } from './proxy.js';
export { isSecretHeader, redactBody, redactUrl } from './redact.js';
export {
  type CheckedAnswer,
  formatViolation,
  MAX_KEPT_ANSWERS,
  ViolationLog,
} from './violations.js';
