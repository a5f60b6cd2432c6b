/** The API roots of the clouds Partner Center runs in. */

/** A cloud Partner Center runs in. */
export type CloudName = 'global' | 'china' | 'germany' | 'usgov';

/**
 * The API root of each cloud; request paths start with `/v1/...`. Microsoft Cloud Germany
 * and Microsoft Cloud for US Government use the global root; China is operated by 21Vianet.
 */
export const CLOUDS: Readonly<Record<CloudName, string>> = Object.freeze({
  global: 'https://api.partnercenter.microsoft.com',
  china: 'https://partner.partnercenterapi.microsoftonline.cn',
  germany: 'https://api.partnercenter.microsoft.com',
  usgov: 'https://api.partnercenter.microsoft.com',
});
