/** The locales apifault speaks, and how a request chooses one. */

import { getStatusInfo } from './statuses.js';

/** A locale apifault has descriptions for. */
export type Locale = 'en-US' | 'fr-FR';

/** The locales apifault has descriptions for; the first is the fallback. */
export const LOCALES: readonly Locale[] = Object.freeze(['en-US', 'fr-FR']);

/** The locale used when a request names none that apifault speaks. */
export const DEFAULT_LOCALE: Locale = 'en-US';

const DEFAULT_DESCRIPTIONS: Readonly<Record<Locale, Readonly<Record<number, string>>>> = {
  'en-US': {
    400: 'The request is not valid.',
    401: 'The request is not authenticated: a valid bearer token is required.',
    403: 'The caller is not allowed to perform this operation.',
    404: 'The requested resource was not found.',
    405: 'The method is not allowed on this resource.',
    406: 'The requested representation is not available: this API answers application/json.',
    408: 'The request was not received in time.',
    409: 'The request conflicts with the current state of the resource.',
    412: 'A precondition of the request failed: the resource has changed.',
    429: 'Too many requests: retry after the delay given in Retry-After.',
    500: 'The service met an unexpected error. Retry later.',
    501: 'This operation is not implemented.',
    502: 'A service this request depends on answered badly.',
    503: 'The service is temporarily unavailable. Retry later.',
    504: 'A service this request depends on did not answer in time.',
  },
  'fr-FR': {
    400: "La requête n'est pas valide.",
    401: "La requête n'est pas authentifiée : un jeton porteur valide est requis.",
    403: "L'appelant n'est pas autorisé à effectuer cette opération.",
    404: 'La ressource demandée est introuvable.',
    405: "La méthode n'est pas autorisée sur cette ressource.",
    406: "La représentation demandée n'est pas disponible : cette API répond en application/json.",
    408: "La requête n'a pas été reçue à temps.",
    409: "La requête est en conflit avec l'état actuel de la ressource.",
    412: 'Une précondition de la requête a échoué : la ressource a changé.',
    429: 'Demandes trop nombreuses : réessayez après le délai indiqué par Retry-After.',
    500: 'Le service a rencontré une erreur inattendue. Réessayez plus tard.',
    501: "Cette opération n'est pas implémentée.",
    502: 'Un service dont dépend cette requête a mal répondu.',
    503: 'Le service est temporairement indisponible. Réessayez plus tard.',
    504: "Un service dont dépend cette requête n'a pas répondu à temps.",
  },
};

/**
 * The default description of `status` in `locale`: a sentence for the fifteen
 * statuses, the reason phrase for any other.
 *
 * @example defaultDescription(404, 'fr-FR') // 'La ressource demandée est introuvable.'
 */
export function defaultDescription(status: number, locale: Locale = DEFAULT_LOCALE): string {
  const table = DEFAULT_DESCRIPTIONS[locale] ?? DEFAULT_DESCRIPTIONS[DEFAULT_LOCALE];
  return (
    table[status] ??
    `${getStatusInfo(status).reason[locale] ?? getStatusInfo(status).reason['en-US']}.`
  );
}

/** The reason phrase of `status` in `locale` (`Not Found`, `Introuvable`). */
export function reasonPhrase(status: number, locale: Locale = DEFAULT_LOCALE): string {
  return getStatusInfo(status).reason[locale];
}

/** Maps a language tag to a supported locale, or undefined. `fr`, `fr-CA` → `fr-FR`. */
export function matchLocale(tag: string): Locale | undefined {
  const lower = tag.trim().toLowerCase();
  if (lower === '' || lower === '*') return undefined;
  for (const locale of LOCALES) if (locale.toLowerCase() === lower) return locale;
  const language = lower.split(/[-_]/, 1)[0];
  for (const locale of LOCALES) if (locale.slice(0, 2).toLowerCase() === language) return locale;
  return undefined;
}

/**
 * Parses an `Accept-Language` header into tags ordered by q-value (highest first,
 * header order kept among equals); tags with `q=0` are dropped.
 */
export function parseAcceptLanguage(header: string): string[] {
  const entries: { tag: string; q: number; index: number }[] = [];
  let index = 0;
  for (const part of header.slice(0, 4096).split(',')) {
    const [rawTag = '', ...params] = part.split(';');
    const tag = rawTag.trim();
    if (tag === '') continue;
    let q = 1;
    for (const param of params) {
      const [key = '', value = ''] = param.split('=');
      if (key.trim().toLowerCase() === 'q') {
        const parsed = Number(value.trim());
        q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
      }
    }
    if (q > 0) entries.push({ tag, q, index: index++ });
  }
  entries.sort((a, b) => b.q - a.q || a.index - b.index);
  return entries.map((e) => e.tag);
}

/** Where a request says which locale it wants. */
export interface LocaleSources {
  /** The `X-Locale` header: Partner Center's own, it wins when supported. */
  xLocale?: string | undefined;
  /** The `Accept-Language` header, q-values honoured. */
  acceptLanguage?: string | undefined;
}

/**
 * Chooses the locale of a response: `X-Locale` when apifault speaks it, else the best
 * `Accept-Language` match, else `en-US`.
 *
 * @example negotiateLocale({ acceptLanguage: 'de;q=1, fr;q=0.8' }) // 'fr-FR'
 */
export function negotiateLocale(sources: LocaleSources): Locale {
  if (sources.xLocale) {
    const match = matchLocale(sources.xLocale);
    if (match) return match;
  }
  if (sources.acceptLanguage) {
    for (const tag of parseAcceptLanguage(sources.acceptLanguage)) {
      const match = matchLocale(tag);
      if (match) return match;
    }
  }
  return DEFAULT_LOCALE;
}
