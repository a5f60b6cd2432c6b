/** body-parser's typed errors (`express.json()`), as the contract's body errors. */

import { invalidJson, payloadTooLarge } from '../body/errors.js';
import { apiErrorParts, type ErrorRecognizer } from '../render/index.js';

/** body-parser's typed errors (`express.json()`), for applications that keep it. */
export const recognizeBodyParser: ErrorRecognizer = (error) => {
  if (error['type'] === 'entity.parse.failed') {
    return apiErrorParts(invalidJson(String(error['message'] ?? '')));
  }
  if (error['type'] === 'entity.too.large') {
    const limit = error['limit'];
    return apiErrorParts(payloadTooLarge(typeof limit === 'number' ? limit : undefined));
  }
  return undefined;
};
