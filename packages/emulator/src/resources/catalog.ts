/** The catalog resource: products by country and catalog view, their SKUs and availabilities (read-only, seeded). */

import type { Context, RouteHandler } from '@apifault/server';
import {
  availabilityNotFound,
  productNotFound,
  skuNotFound,
  targetViewNotAllowed,
} from '../commerce-errors.js';
import { invalidInput } from '../errors.js';
import type {
  AvailabilityRecord,
  CatalogStore,
  ProductRecord,
  SkuRecord,
} from '../store/catalog.js';
import { CATALOG_VIEW } from '../store/catalog-data.js';
import { collectionJson, link } from './shapes.js';

/** The catalog views Partner Center documents for `targetView`; only OnlineServices holds products here. */
export const TARGET_VIEWS: readonly string[] = [
  'Azure',
  'AzureReservations',
  'AzureReservationsVM',
  'AzureReservationsSQL',
  'AzureReservationsCosmosDb',
  'MicrosoftAzure',
  'OnlineServices',
  'Software',
  'SoftwareSUSELinux',
  'SoftwarePerpetual',
  'SoftwareSubscriptions',
];

const COUNTRY = /^[A-Za-z]{2}$/;

/** `country` from the query: required, a two-letter code (400 800002 otherwise). */
function countryOf(ctx: Context): string {
  const country = ctx.query.get('country');
  if (country === null || country === '') {
    throw invalidInput('the query parameter country is required (a two-letter country code).');
  }
  if (!COUNTRY.test(country)) {
    throw invalidInput(`country must be a two-letter country code, not ${country.slice(0, 16)}.`);
  }
  return country.toUpperCase();
}

function productPath(id: string): string {
  return `/v1/products/${encodeURIComponent(id)}`;
}

function skuPath(productId: string, id: string): string {
  return `${productPath(productId)}/skus/${encodeURIComponent(id)}`;
}

/** A Product resource. */
export function productJson(product: ProductRecord, country: string): Record<string, unknown> {
  return {
    id: product.id,
    title: product.title,
    description: product.description,
    productType: { id: product.targetView, displayName: product.targetView },
    isMicrosoftProduct: true,
    publisherName: 'Microsoft Corporation',
    links: {
      skus: link(`${productPath(product.id)}/skus?country=${country}`),
      self: link(`${productPath(product.id)}?country=${country}`),
    },
    attributes: { objectType: 'Product' },
  };
}

/** A Sku resource; `billingCycles` are the cycles its availabilities' terms offer. */
export function skuJson(
  sku: SkuRecord,
  billingCycles: readonly string[],
  country: string,
): Record<string, unknown> {
  const self = skuPath(sku.productId, sku.id);
  return {
    id: sku.id,
    productId: sku.productId,
    title: sku.title,
    description: sku.description,
    minimumQuantity: sku.minimumQuantity,
    maximumQuantity: sku.maximumQuantity,
    isTrial: false,
    supportedBillingCycles: billingCycles,
    purchasePrerequisites: [],
    inventoryVariables: [],
    provisioningVariables: [],
    dynamicAttributes: {},
    links: {
      availabilities: link(`${self}/availabilities?country=${country}`),
      self: link(`${self}?country=${country}`),
    },
    attributes: { objectType: 'Sku' },
  };
}

/** The `catalogItemId` of an availability: `productId:skuId:availabilityId`. */
export function catalogItemIdOf(availability: AvailabilityRecord): string {
  return `${availability.productId}:${availability.skuId}:${availability.id}`;
}

/** An Availability resource with its terms (new commerce: each term its billing cycle and cancellation policy). */
export function availabilityJson(availability: AvailabilityRecord): Record<string, unknown> {
  const self = `${skuPath(availability.productId, availability.skuId)}/availabilities/${availability.id}`;
  return {
    id: availability.id,
    productId: availability.productId,
    skuId: availability.skuId,
    catalogItemId: catalogItemIdOf(availability),
    defaultCurrency: availability.currency,
    segment: availability.segment,
    country: availability.country,
    isPurchasable: availability.isPurchasable,
    isRenewable: availability.isPurchasable,
    terms: availability.terms.map((term) => ({
      duration: term.duration,
      description: term.description,
      billingCycle: term.billingCycle,
      cancellationPolicies: [
        { refundOptions: [{ sequenceId: 0, type: 'Full', expiresAfter: 'P7D' }] },
      ],
    })),
    links: { self: link(`${self}?country=${availability.country}`) },
    attributes: { objectType: 'Availability' },
  };
}

function loadProduct(catalog: CatalogStore, ctx: Context): ProductRecord {
  const id = ctx.params.productId ?? '';
  const product = catalog.getProduct(id);
  if (!product) throw productNotFound(id);
  return product;
}

function loadSku(catalog: CatalogStore, ctx: Context): SkuRecord {
  const product = loadProduct(catalog, ctx);
  const id = ctx.params.skuId ?? '';
  const sku = catalog.getSku(product.id, id);
  if (!sku) throw skuNotFound(product.id, id);
  return sku;
}

function billingCyclesOf(catalog: CatalogStore, sku: SkuRecord, country: string): string[] {
  const cycles = new Set<string>();
  for (const availability of catalog.listAvailabilities(sku.productId, sku.id, country)) {
    for (const term of availability.terms) cycles.add(term.billingCycle.toLowerCase());
  }
  return [...cycles];
}

/** GET /v1/products?country=…&targetView=… */
export function listProducts(catalog: CatalogStore): RouteHandler {
  return (ctx) => {
    const country = countryOf(ctx);
    const view = ctx.query.get('targetView');
    if (view === null || view === '') {
      throw invalidInput(
        `the query parameter targetView is required (one of ${TARGET_VIEWS.join(', ')}).`,
      );
    }
    const known = TARGET_VIEWS.find((name) => name.toLowerCase() === view.toLowerCase());
    if (known === undefined) throw targetViewNotAllowed(view.slice(0, 64));
    const products = known === CATALOG_VIEW ? catalog.listProducts(known, country) : [];
    return collectionJson(
      products.map((product) => productJson(product, country)),
      link(`/v1/products?country=${country}&targetView=${known}`),
    );
  };
}

/** GET /v1/products/:productId?country=… */
export function getProduct(catalog: CatalogStore): RouteHandler {
  return (ctx) => productJson(loadProduct(catalog, ctx), countryOf(ctx));
}

/** GET /v1/products/:productId/skus?country=… */
export function listSkus(catalog: CatalogStore): RouteHandler {
  return (ctx) => {
    const country = countryOf(ctx);
    const product = loadProduct(catalog, ctx);
    const items = catalog
      .listSkus(product.id)
      .map((sku) => skuJson(sku, billingCyclesOf(catalog, sku, country), country));
    return collectionJson(items, link(`${productPath(product.id)}/skus?country=${country}`));
  };
}

/** GET /v1/products/:productId/skus/:skuId?country=… */
export function getSku(catalog: CatalogStore): RouteHandler {
  return (ctx) => {
    const country = countryOf(ctx);
    const sku = loadSku(catalog, ctx);
    return skuJson(sku, billingCyclesOf(catalog, sku, country), country);
  };
}

/** GET /v1/products/:productId/skus/:skuId/availabilities?country=… */
export function listAvailabilities(catalog: CatalogStore): RouteHandler {
  return (ctx) => {
    const country = countryOf(ctx);
    const sku = loadSku(catalog, ctx);
    const items = catalog.listAvailabilities(sku.productId, sku.id, country).map(availabilityJson);
    return collectionJson(
      items,
      link(`${skuPath(sku.productId, sku.id)}/availabilities?country=${country}`),
    );
  };
}

/** GET /v1/products/:productId/skus/:skuId/availabilities/:availabilityId?country=… */
export function getAvailability(catalog: CatalogStore): RouteHandler {
  return (ctx) => {
    countryOf(ctx);
    const sku = loadSku(catalog, ctx);
    const id = ctx.params.availabilityId ?? '';
    const availability = catalog.getAvailability(sku.productId, sku.id, id);
    if (!availability) throw availabilityNotFound(sku.productId, sku.id, id);
    return availabilityJson(availability);
  };
}
