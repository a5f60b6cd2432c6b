/**
 * The billing resource: a partner's invoices and their line items, paged as Partner Center
 * pages them (invoices by `size`/`offset`; new-commerce line items by continuation token).
 */

import { ApiError } from '@apifault/contract';
import type { Context, RouteHandler } from '@apifault/server';
import {
  ContinuationTokenError,
  type ContinuationTokens,
  type TokenProblem,
} from '../billing/continuation.js';
import { CODES } from '../codes.js';
import { invalidInput, SOURCE_FRONT_DOOR } from '../errors.js';
import type { InvoiceRecord, InvoiceStore, StoredLineItem } from '../store/invoices.js';
import { headerValue, principalOf } from './request.js';
import { collectionJson, type Link, link } from './shapes.js';

/** The largest page of line items, and the default (Partner Center's documented maximum). */
export const LINE_ITEM_PAGE_SIZE = 2000;
/** The largest page of invoices, and the default. */
export const INVOICE_PAGE_SIZE = { default: 100, max: 500 } as const;

/** The billing providers a line item query may name, lower case, with how they are written in links. */
const PROVIDERS: Record<string, string> = {
  onetime: 'OneTime',
  all: 'All',
  office: 'Office',
  azure: 'Azure',
  marketplace: 'Marketplace',
};
/** The line item types, lower case, with how they are written in links. */
const TYPES: Record<string, string> = {
  billinglineitems: 'BillingLineItems',
  usagelineitems: 'UsageLineItems',
};

const LINE_ATTRIBUTES = Object.freeze({ objectType: 'OneTimeInvoiceLineItem' });
const NO_QUALIFIERS: readonly string[] = Object.freeze([]);

/** What the billing handlers read. */
export interface BillingParts {
  readonly invoices: InvoiceStore;
  readonly tokens: ContinuationTokens;
}

function invoicePath(id: string): string {
  return `/v1/invoices/${encodeURIComponent(id)}`;
}

/** 404 for an invoice the partner does not have (another partner's included). */
function invoiceNotFound(id: string): ApiError {
  return new ApiError({
    status: 404,
    code: CODES.notFound.code,
    description: `Invoice ${id} was not found.`,
    data: [],
    source: SOURCE_FRONT_DOOR,
  });
}

const TOKEN_REASONS: Record<TokenProblem, string> = {
  malformed: 'MS-ContinuationToken is not a token this service issued.',
  signature: 'MS-ContinuationToken was altered or was not issued by this service.',
  expired: 'MS-ContinuationToken has expired; start again from the first page.',
  'other-request': 'MS-ContinuationToken belongs to another invoice, provider or line item type.',
  stale:
    'MS-ContinuationToken refers to an earlier version of this invoice; start again from the first page.',
};

/** An integer query parameter in `[min, max]`, or `fallback` when absent; 400 otherwise. */
function integerParam(
  query: URLSearchParams,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!/^\d{1,9}$/.test(raw) || value < min || value > max) {
    throw invalidInput(`${name} must be an integer between ${min} and ${max}.`);
  }
  return value;
}

/** A query parameter read case-insensitively by name (`invoiceLineItemType`, `invoicelineitemtype`). */
function queryParam(query: URLSearchParams, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of query) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** An invoice resource. */
export function invoiceJson(invoice: InvoiceRecord): Record<string, unknown> {
  const path = invoicePath(invoice.id);
  return {
    id: invoice.id,
    invoiceDate: invoice.invoiceDate,
    billingPeriodStartDate: invoice.periodStart,
    billingPeriodEndDate: invoice.periodEnd,
    totalCharges: invoice.totalCharges,
    paidAmount: 0,
    currencyCode: invoice.currencyCode,
    currencySymbol: '$',
    pdfLink: `${path}/documents/statement`,
    invoiceDetails: [
      {
        invoiceLineItemType: 'BillingLineItems',
        billingProvider: 'OneTime',
        links: { self: link(`${path}/lineitems/OneTime/BillingLineItems`) },
        attributes: { objectType: 'InvoiceDetail' },
      },
    ],
    documentType: 'Invoice',
    amendments: [],
    invoiceType: 'Recurring',
    links: { self: link(path) },
    attributes: { objectType: 'Invoice' },
  };
}

/** GET /v1/invoices (`size`, `offset`) */
export function listInvoices({ invoices }: BillingParts): RouteHandler {
  return (ctx) => {
    const partner = principalOf(ctx).partnerTenantId;
    const size = integerParam(
      ctx.query,
      'size',
      1,
      INVOICE_PAGE_SIZE.max,
      INVOICE_PAGE_SIZE.default,
    );
    const offset = integerParam(ctx.query, 'offset', 0, 1_000_000_000, 0);
    invoices.refresh(partner);
    const items = invoices.list(partner, size, offset).map(invoiceJson);
    const self = link(`/v1/invoices?size=${size}&offset=${offset}`);
    const result = collectionJson(items, self);
    if (offset + items.length < invoices.count(partner)) {
      result.links = { self, next: link(`/v1/invoices?size=${size}&offset=${offset + size}`) };
    }
    return result;
  };
}

function ownedInvoice(invoices: InvoiceStore, ctx: Context): InvoiceRecord {
  const partner = principalOf(ctx).partnerTenantId;
  const id = ctx.params.invoiceId ?? '';
  invoices.refresh(partner);
  const invoice = invoices.get(partner, id);
  if (!invoice) throw invoiceNotFound(id);
  return invoice;
}

/** GET /v1/invoices/:invoiceId */
export function getInvoice({ invoices }: BillingParts): RouteHandler {
  return (ctx) => invoiceJson(ownedInvoice(invoices, ctx));
}

/** The provider and type a request names, lower case, each checked. */
function lineItemKind(
  provider: string | undefined,
  type: string | undefined,
): { provider: string; type: string } {
  if (provider === undefined || provider === '') {
    throw invalidInput(`provider is required (${Object.values(PROVIDERS).join(', ')}).`);
  }
  if (type === undefined || type === '') {
    throw invalidInput('invoiceLineItemType is required (BillingLineItems, UsageLineItems).');
  }
  const p = provider.toLowerCase();
  const t = type.toLowerCase();
  if (PROVIDERS[p] === undefined) {
    throw invalidInput(
      `provider ${provider} is not one of ${Object.values(PROVIDERS).join(', ')}.`,
    );
  }
  if (TYPES[t] === undefined) {
    throw invalidInput(
      `invoiceLineItemType ${type} is not one of BillingLineItems, UsageLineItems.`,
    );
  }
  return { provider: p, type: t };
}

/** A page of stored line items as Partner Center sends them. */
function lineItemJson(row: StoredLineItem): Record<string, unknown> {
  const item = row as unknown as Record<string, unknown>;
  item.productQualifiers = NO_QUALIFIERS;
  item.attributes = LINE_ATTRIBUTES;
  return item;
}

/**
 * GET /v1/invoices/:invoiceId/lineitems?provider=…&invoiceLineItemType=…&size=…, and the
 * path form /v1/invoices/:invoiceId/lineitems/:provider/:invoiceLineItemType (with
 * `seekOperation=Next` and `MS-ContinuationToken` for the next page). New-commerce billing
 * line items (`OneTime`, or `All`) are paged by continuation token; the other providers and
 * types are valid queries that hold no line items on the emulator's invoices (`offset`
 * paging, as their documentation gives it).
 */
export function listInvoiceLineItems({ invoices, tokens }: BillingParts): RouteHandler {
  return (ctx) => {
    const pathForm = ctx.params.provider !== undefined;
    const kind = lineItemKind(
      pathForm ? ctx.params.provider : queryParam(ctx.query, 'provider'),
      pathForm ? ctx.params.invoiceLineItemType : queryParam(ctx.query, 'invoiceLineItemType'),
    );
    const size = integerParam(ctx.query, 'size', 1, LINE_ITEM_PAGE_SIZE, LINE_ITEM_PAGE_SIZE);
    const seek = queryParam(ctx.query, 'seekOperation');
    if (seek !== undefined && seek.toLowerCase() !== 'next') {
      throw invalidInput(`seekOperation ${seek} is not supported (Next).`);
    }
    const token = headerValue(ctx, 'ms-continuationtoken');
    if (seek !== undefined && token === undefined) {
      throw invalidInput('seekOperation=Next needs the MS-ContinuationToken of the previous page.');
    }
    const invoice = ownedInvoice(invoices, ctx);
    const seekPaged =
      kind.type === 'billinglineitems' && (kind.provider === 'onetime' || kind.provider === 'all');
    const providerName = PROVIDERS[kind.provider] as string;
    const typeName = TYPES[kind.type] as string;
    const base = `${invoicePath(invoice.id)}/lineitems`;
    const self = link(
      `${base}?provider=${providerName}&invoiceLineItemType=${typeName}&size=${size}`,
    );
    if (!seekPaged) {
      // Offset paging, for the providers whose documentation pages that way.
      integerParam(ctx.query, 'offset', 0, 1_000_000_000, 0);
      return collectionJson([], self);
    }
    if (ctx.query.has('offset')) {
      throw invalidInput(
        `offset paging does not apply to provider ${providerName}: follow links.next with its MS-ContinuationToken.`,
      );
    }
    let after = 0;
    if (token !== undefined) {
      try {
        after = tokens.read(token, {
          invoiceId: invoice.id,
          version: invoice.version,
          provider: kind.provider,
          type: kind.type,
        }).after;
      } catch (error) {
        if (error instanceof ContinuationTokenError)
          throw invalidInput(TOKEN_REASONS[error.problem]);
        throw error;
      }
    }
    const rows = invoices.lineItems(invoice.id, after, size);
    const lastSeq = after + rows.length;
    const items = rows.map(lineItemJson);
    if (lastSeq >= invoice.lineCount) return collectionJson(items, self);
    const continuationToken = tokens.issue({
      invoiceId: invoice.id,
      version: invoice.version,
      provider: kind.provider,
      type: kind.type,
      after: lastSeq,
    });
    const next: Link = link(`${base}/${providerName}/${typeName}?seekOperation=Next&size=${size}`, [
      { key: 'MS-ContinuationToken', value: continuationToken },
    ]);
    return collectionJson(items, self, { link: next, continuationToken });
  };
}
