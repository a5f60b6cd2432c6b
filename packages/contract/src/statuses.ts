/** The fifteen error statuses of the contract, with their reason phrases, category and retry class. */

/** How a client may retry a request that failed with a status. */
export type RetryClass =
  /** Never retried automatically. */
  | 'never'
  /** Retried once, after the credential is refreshed (401 with a challenge). */
  | 'refresh-credential'
  /** Retried after the server's `Retry-After` (429). */
  | 'after-retry-after'
  /** Retried after `Retry-After` when present, else with backoff (503). */
  | 'retry-after-or-backoff'
  /** Retried with backoff, idempotent requests only (408, 500, 502, 504). */
  | 'idempotent-backoff';

/** A category name from the contract (`BadInput`, `NotFound`, …), or `Unknown` for other statuses. */
export type Category =
  | 'BadInput'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'InvalidOperation'
  | 'UnsupportedDataFormat'
  | 'RequestTimeout'
  | 'Conflict'
  | 'PreconditionFailed'
  | 'TooManyRequests'
  | 'ServerError'
  | 'NotImplemented'
  | 'BadGateway'
  | 'ServerBusy'
  | 'GatewayTimeout'
  | 'ClientError'
  | 'Unknown';

/** A status the contract names. */
export type ContractStatus =
  | 400
  | 401
  | 403
  | 404
  | 405
  | 406
  | 408
  | 409
  | 412
  | 429
  | 500
  | 501
  | 502
  | 503
  | 504;

/** What the contract says about one status. */
export interface StatusInfo {
  /** The status this record describes (500 for numbers outside 400–599). */
  readonly status: number;
  /** Reason phrase per locale. */
  readonly reason: { readonly 'en-US': string; readonly 'fr-FR': string };
  /** The contract's category name (`NotFound`, `ServerBusy` …). */
  readonly category: Category;
  /** Whether and how a client may retry automatically. */
  readonly retry: RetryClass;
  /** Whether the contract names this status (false for generic 4xx/5xx). */
  readonly known: boolean;
}

function info(
  status: ContractStatus,
  en: string,
  fr: string,
  category: Category,
  retry: RetryClass,
): StatusInfo {
  return Object.freeze({
    status,
    reason: Object.freeze({ 'en-US': en, 'fr-FR': fr }),
    category,
    retry,
    known: true,
  });
}

/** The fifteen statuses, in ascending order. */
export const STATUSES: readonly StatusInfo[] = Object.freeze([
  info(400, 'Bad Request', 'Requête incorrecte', 'BadInput', 'never'),
  info(401, 'Unauthorized', 'Non autorisé', 'Unauthorized', 'refresh-credential'),
  info(403, 'Forbidden', 'Interdit', 'Forbidden', 'never'),
  info(404, 'Not Found', 'Introuvable', 'NotFound', 'never'),
  info(405, 'Method Not Allowed', 'Méthode non autorisée', 'InvalidOperation', 'never'),
  info(406, 'Not Acceptable', 'Non acceptable', 'UnsupportedDataFormat', 'never'),
  info(
    408,
    'Request Timeout',
    "Délai d'attente de la requête dépassé",
    'RequestTimeout',
    'idempotent-backoff',
  ),
  info(409, 'Conflict', 'Conflit', 'Conflict', 'never'),
  info(412, 'Precondition Failed', 'Échec de la précondition', 'PreconditionFailed', 'never'),
  info(
    429,
    'Too Many Requests',
    'Demandes trop nombreuses',
    'TooManyRequests',
    'after-retry-after',
  ),
  info(
    500,
    'Internal Server Error',
    'Erreur interne du serveur',
    'ServerError',
    'idempotent-backoff',
  ),
  info(501, 'Not Implemented', 'Non implémenté', 'NotImplemented', 'never'),
  info(502, 'Bad Gateway', 'Passerelle incorrecte', 'BadGateway', 'idempotent-backoff'),
  info(
    503,
    'Service Unavailable',
    'Service non disponible',
    'ServerBusy',
    'retry-after-or-backoff',
  ),
  info(
    504,
    'Gateway Timeout',
    "Délai d'expiration de la passerelle",
    'GatewayTimeout',
    'idempotent-backoff',
  ),
]);

const byStatus = new Map<number, StatusInfo>(STATUSES.map((s) => [s.status, s]));

/** Reason phrases for statuses outside the contract that services still answer. */
const OTHER_REASONS: Readonly<Record<number, readonly [string, string]>> = {
  402: ['Payment Required', 'Paiement requis'],
  407: ['Proxy Authentication Required', 'Authentification proxy requise'],
  410: ['Gone', 'Supprimé'],
  411: ['Length Required', 'Longueur requise'],
  413: ['Content Too Large', 'Contenu trop volumineux'],
  414: ['URI Too Long', 'URI trop longue'],
  415: ['Unsupported Media Type', 'Type de média non pris en charge'],
  416: ['Range Not Satisfiable', 'Plage non satisfaisable'],
  417: ['Expectation Failed', "Échec de l'attente"],
  421: ['Misdirected Request', 'Requête mal dirigée'],
  422: ['Unprocessable Content', 'Contenu non traitable'],
  423: ['Locked', 'Verrouillé'],
  424: ['Failed Dependency', 'Dépendance en échec'],
  425: ['Too Early', 'Trop tôt'],
  426: ['Upgrade Required', 'Mise à niveau requise'],
  428: ['Precondition Required', 'Précondition requise'],
  431: ['Request Header Fields Too Large', 'En-têtes de requête trop volumineux'],
  451: ['Unavailable For Legal Reasons', 'Indisponible pour raisons légales'],
  505: ['HTTP Version Not Supported', 'Version HTTP non prise en charge'],
  507: ['Insufficient Storage', 'Stockage insuffisant'],
  508: ['Loop Detected', 'Boucle détectée'],
  511: ['Network Authentication Required', 'Authentification réseau requise'],
};

const generic = new Map<number, StatusInfo>();

/**
 * What the contract says about `status`. Statuses outside the fifteen (410, 413, 422 …)
 * get generic metadata; any other number is treated as 500.
 *
 * @example getStatusInfo(429).retry // 'after-retry-after'
 */
export function getStatusInfo(status: number): StatusInfo {
  const known = byStatus.get(status);
  if (known) return known;
  const code = Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
  if (code !== status) return byStatus.get(500)!;
  let cached = generic.get(code);
  if (!cached) {
    const server = code >= 500;
    const [en, fr] =
      OTHER_REASONS[code] ??
      (server ? ['Server Error', 'Erreur du serveur'] : ['Client Error', 'Erreur du client']);
    cached = Object.freeze({
      status: code,
      reason: Object.freeze({ 'en-US': en, 'fr-FR': fr }),
      category: server ? 'Unknown' : 'ClientError',
      retry: 'never',
      known: false,
    });
    generic.set(code, cached);
  }
  return cached;
}

/** Whether `status` is one of the fifteen statuses the contract names. */
export function isContractStatus(status: number): status is ContractStatus {
  return byStatus.has(status);
}
