/** The shape of every error response body. */

/** The JSON body of every 4xx/5xx response: `{ code, description, data?, source }`. */
export interface ErrorBody {
  /** The kind of error, always a string (`"3000"`, `"429"`). */
  code: string;
  /** What went wrong: never empty, at most 1024 code points. */
  description: string;
  /** Error details, for some errors only. */
  data?: unknown[];
  /** Where the error came from (a service or component). */
  source: string;
}

/** The media type every error body is served with. */
export const ERROR_CONTENT_TYPE = 'application/json; charset=utf-8';
