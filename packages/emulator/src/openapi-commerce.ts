/**
 * The purchase flow's part of the OpenAPI document, as data: the schemas of the catalog,
 * carts and provisioning resources (the cart's example buys the first seeded availability),
 * and the routes' query parameters.
 */

import type { RouteName } from './routes.js';
import { CATALOG_MARKET, CATALOG_VIEW, SEED_CATALOG } from './store/catalog-data.js';

const product = SEED_CATALOG[0];
const sku = product?.skus[0];
const availability = sku?.availabilities[0];
const { country } = CATALOG_MARKET;

const catalogItemId = [product?.id, sku?.id, availability?.id].join(':');

const attributes = { $ref: '#/components/schemas/Attributes' };
const links = { type: 'object', additionalProperties: { $ref: '#/components/schemas/Link' } };

/** Schemas of the purchase flow's resources. */
export const COMMERCE_SCHEMAS: Record<string, unknown> = {
  Product: {
    type: 'object',
    required: ['id', 'title', 'productType', 'links', 'attributes'],
    properties: {
      id: { type: 'string' },
      title: { type: 'string' },
      description: { type: 'string' },
      productType: {
        type: 'object',
        properties: { id: { type: 'string' }, displayName: { type: 'string' } },
      },
      isMicrosoftProduct: { type: 'boolean' },
      publisherName: { type: 'string' },
      links,
      attributes,
    },
  },
  Sku: {
    type: 'object',
    required: ['id', 'productId', 'minimumQuantity', 'maximumQuantity', 'attributes'],
    properties: {
      id: { type: 'string' },
      productId: { type: 'string' },
      title: { type: 'string' },
      description: { type: 'string' },
      minimumQuantity: { type: 'integer' },
      maximumQuantity: { type: 'integer' },
      isTrial: { type: 'boolean' },
      supportedBillingCycles: { type: 'array', items: { type: 'string' } },
      purchasePrerequisites: { type: 'array', items: { type: 'string' } },
      inventoryVariables: { type: 'array', items: { type: 'string' } },
      provisioningVariables: { type: 'array', items: { type: 'string' } },
      dynamicAttributes: { type: 'object' },
      links,
      attributes,
    },
  },
  Availability: {
    type: 'object',
    required: ['id', 'productId', 'skuId', 'catalogItemId', 'terms', 'attributes'],
    properties: {
      id: { type: 'string' },
      productId: { type: 'string' },
      skuId: { type: 'string' },
      catalogItemId: { type: 'string', description: 'productId:skuId:availabilityId' },
      defaultCurrency: { type: 'string' },
      segment: { type: 'string' },
      country: { type: 'string' },
      isPurchasable: { type: 'boolean' },
      isRenewable: { type: 'boolean' },
      terms: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            duration: { enum: ['P1M', 'P1Y', 'P3Y'] },
            billingCycle: { enum: ['Monthly', 'Annual', 'Triennial'] },
            description: { type: 'string' },
            cancellationPolicies: {
              type: 'array',
              items: {
                type: 'object',
                properties: { refundOptions: { type: 'array', items: { type: 'object' } } },
              },
            },
          },
        },
      },
      links,
      attributes,
    },
  },
  Cart: {
    type: 'object',
    required: ['lineItems'],
    properties: {
      id: { type: 'string' },
      creationTimestamp: { type: 'string', format: 'date-time' },
      lastModifiedTimestamp: { type: 'string', format: 'date-time' },
      expirationTimestamp: { type: 'string', format: 'date-time' },
      status: { enum: ['Active', 'Ordered'] },
      lastModifiedUser: { type: 'string' },
      lineItems: {
        type: 'array',
        items: {
          type: 'object',
          required: ['catalogItemId', 'quantity', 'billingCycle', 'termDuration'],
          properties: {
            id: { type: 'integer' },
            catalogItemId: { type: 'string' },
            quantity: { type: 'integer' },
            currencyCode: { type: 'string' },
            billingCycle: { enum: ['monthly', 'annual', 'triennial'] },
            termDuration: { enum: ['P1M', 'P1Y', 'P3Y'] },
            friendlyName: { type: 'string' },
            provisioningContext: { type: 'object', additionalProperties: { type: 'string' } },
            orderGroup: { type: 'string' },
          },
        },
      },
      links,
      attributes,
    },
    example: {
      lineItems: [
        { id: 0, catalogItemId, quantity: 5, billingCycle: 'monthly', termDuration: 'P1M' },
      ],
    },
  },
  CartCheckoutResult: {
    type: 'object',
    required: ['orders', 'orderErrors', 'attributes'],
    properties: {
      orders: { type: 'array', items: { $ref: '#/components/schemas/Order' } },
      orderErrors: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            orderGroupId: { type: 'string' },
            code: { type: 'integer' },
            description: { type: 'string' },
          },
        },
      },
      attributes,
    },
  },
};

/** The schema of each purchase-flow route's success body. */
export const COMMERCE_SUCCESS_SCHEMA: Partial<Record<RouteName, string>> = {
  listProducts: 'Collection',
  getProduct: 'Product',
  listSkus: 'Collection',
  getSku: 'Sku',
  listAvailabilities: 'Collection',
  getAvailability: 'Availability',
  createCart: 'Cart',
  getCart: 'Cart',
  updateCart: 'Cart',
  checkoutCart: 'CartCheckoutResult',
  getProvisioningStatus: 'Collection',
};

const countryParameter = {
  name: 'country',
  in: 'query',
  required: true,
  description: 'Two-letter country code; missing is 400 800002.',
  schema: { type: 'string', pattern: '^[A-Za-z]{2}$' },
  example: country,
};

const ifMatchParameter = {
  name: 'If-Match',
  in: 'header',
  required: true,
  description: "The cart's attributes.etag, double-quoted; missing or stale is 412.",
  schema: { type: 'string' },
};

/** The query and header parameters of the purchase-flow routes. */
export const COMMERCE_PARAMETERS: Partial<Record<RouteName, Record<string, unknown>[]>> = {
  listProducts: [
    countryParameter,
    {
      name: 'targetView',
      in: 'query',
      required: true,
      description: 'The catalog view; missing is 400 800002, an unknown one 403 400036.',
      schema: { type: 'string' },
      example: CATALOG_VIEW,
    },
  ],
  getProduct: [countryParameter],
  listSkus: [countryParameter],
  getSku: [countryParameter],
  listAvailabilities: [countryParameter],
  getAvailability: [countryParameter],
  updateCart: [ifMatchParameter],
};
