/**
 * Builds a partner's invoices and their line items from its orders, deterministically: the
 * same subscriptions, clock month and volume give the same invoices, ids and amounts.
 */

/** A subscription as billing reads it: the order line that created it, its customer. */
export interface BilledSubscription {
  readonly id: string;
  readonly orderId: string;
  readonly orderDate: string;
  readonly offerId: string;
  readonly friendlyName: string;
  readonly quantity: number;
  readonly billingCycle: string;
  readonly createdAt: string;
  readonly customerId: string;
  readonly customerName: string;
  readonly customerDomainName: string;
  readonly customerCountry: string;
}

/** One invoice: a calendar month (UTC) of a partner. */
export interface GeneratedInvoice {
  readonly id: string;
  readonly invoiceDate: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly totalCharges: number;
  readonly currencyCode: string;
  readonly lines: readonly InvoiceLineRow[];
}

/** A stored line item: the columns of `invoice_line_items`, named as the JSON properties. */
export interface InvoiceLineRow {
  readonly partnerId: string;
  readonly customerId: string;
  readonly customerName: string;
  readonly customerDomainName: string;
  readonly customerCountry: string;
  readonly invoiceNumber: string;
  readonly mpnId: string;
  readonly resellerMpnId: string;
  readonly orderId: string;
  readonly orderDate: string;
  readonly productId: string;
  readonly skuId: string;
  readonly availabilityId: string;
  readonly productName: string;
  readonly skuName: string;
  readonly chargeType: string;
  readonly unitPrice: string;
  readonly effectiveUnitPrice: string;
  readonly unitType: string;
  readonly quantity: string;
  readonly subtotal: string;
  readonly taxTotal: string;
  readonly totalForCustomer: string;
  readonly currency: string;
  readonly publisherName: string;
  readonly publisherId: string;
  readonly subscriptionDescription: string;
  readonly subscriptionId: string;
  readonly subscriptionStartDate: string;
  readonly subscriptionEndDate: string;
  readonly chargeStartDate: string;
  readonly chargeEndDate: string;
  readonly termAndBillingCycle: string;
  readonly alternateId: string;
  readonly referenceId: string;
  readonly priceAdjustmentDescription: string;
  readonly discountDetails: string;
  readonly pricingCurrency: string;
  readonly pcToBCExchangeRate: string;
  readonly pcToBCExchangeRateDate: string;
  readonly billableQuantity: string;
  readonly meterDescription: string;
  readonly billingFrequency: string;
  readonly reservationOrderId: string;
  readonly invoiceLineItemType: string;
  readonly billingProvider: string;
  readonly promotionId: string;
}

/** How many line items each subscription puts on an invoice, by default. */
export const DEFAULT_LINES_PER_SUBSCRIPTION = 500;

const DAY_MS = 24 * 3600 * 1000;

/** FNV-1a, 32 bits: a stable number from text (no randomness, so runs repeat). */
function fnv(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function hex8(text: string): string {
  return fnv(text).toString(16).padStart(8, '0');
}

/** A GUID-shaped id derived from `text`. */
function stableGuid(text: string): string {
  const a = hex8(`a${text}`);
  const b = hex8(`b${text}`);
  const c = hex8(`c${text}`);
  const d = hex8(`d${text}`);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-8${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

/** The first instant of the month holding `date` (UTC). */
function monthStart(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

function nextMonth(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
}

function day(date: Date): string {
  return `${date.toISOString().slice(0, 10)}T00:00:00Z`;
}

/** The invoice number of a partner's month: `G`, the month (yymm), five digits of the partner. */
export function invoiceNumber(partnerTenantId: string, periodStart: Date): string {
  const yymm = periodStart.toISOString().slice(2, 7).replace('-', '');
  return `G${yymm}${String(fnv(partnerTenantId) % 100_000).padStart(5, '0')}`;
}

/** The list price of a product, in USD, from its id: 4.00–43.00. */
function unitPriceOf(productId: string): number {
  return 4 + (fnv(productId) % 40);
}

function money(value: number): string {
  return value.toFixed(2);
}

function productOf(offerId: string): { productId: string; skuId: string; availabilityId: string } {
  const [productId = offerId, skuId = '0001', availabilityId] = offerId.split(':');
  return {
    productId,
    skuId,
    availabilityId: availabilityId ?? `CFQ7TTC0${hex8(offerId).slice(0, 4).toUpperCase()}`,
  };
}

/**
 * The line items one subscription puts on the invoice of `[start, end)`: `count` of them,
 * each charging the subscription's seats for the part of the month it was active (`new` the
 * month it was bought, `cycleCharge` after).
 */
function linesOf(
  partnerTenantId: string,
  invoiceId: string,
  subscription: BilledSubscription,
  start: Date,
  end: Date,
  count: number,
): InvoiceLineRow[] {
  const created = new Date(subscription.createdAt);
  const chargeStart = created > start ? created : start;
  const { productId, skuId, availabilityId } = productOf(subscription.offerId);
  const unitPrice = unitPriceOf(productId);
  const days = Math.round((end.getTime() - start.getTime()) / DAY_MS);
  const activeDays = Math.max(1, Math.round((end.getTime() - chargeStart.getTime()) / DAY_MS));
  const effective = (unitPrice * activeDays) / days;
  const subtotal = effective * subscription.quantity;
  const termEnd = new Date(
    Date.UTC(created.getUTCFullYear() + 1, created.getUTCMonth(), created.getUTCDate()) - DAY_MS,
  );
  const annual = subscription.billingCycle === 'annual';
  const base = {
    partnerId: partnerTenantId,
    customerId: subscription.customerId,
    customerName: subscription.customerName,
    customerDomainName: subscription.customerDomainName,
    customerCountry: subscription.customerCountry,
    invoiceNumber: invoiceId,
    mpnId: String(4_000_000 + (fnv(partnerTenantId) % 1_000_000)),
    resellerMpnId: '0',
    orderId: subscription.orderId,
    orderDate: subscription.orderDate,
    productId,
    skuId,
    availabilityId,
    productName: subscription.friendlyName,
    skuName: subscription.friendlyName,
    chargeType: created >= start ? 'new' : 'cycleCharge',
    unitPrice: money(unitPrice),
    effectiveUnitPrice: money(effective),
    unitType: '',
    quantity: String(subscription.quantity),
    subtotal: money(subtotal),
    taxTotal: '0.00',
    totalForCustomer: money(subtotal),
    currency: 'USD',
    publisherName: 'Microsoft Corporation',
    publisherId: '',
    subscriptionDescription: subscription.friendlyName,
    subscriptionId: subscription.id,
    subscriptionStartDate: day(created),
    subscriptionEndDate: day(termEnd),
    chargeStartDate: day(chargeStart),
    chargeEndDate: day(new Date(end.getTime() - DAY_MS)),
    termAndBillingCycle: annual
      ? 'One-Year commitment for yearly billing'
      : 'One-Year commitment for monthly billing',
    alternateId: subscription.orderId.replace(/-/g, '').slice(0, 12),
    priceAdjustmentDescription: '',
    discountDetails: '',
    pricingCurrency: 'USD',
    pcToBCExchangeRate: '1',
    pcToBCExchangeRateDate: day(start),
    billableQuantity: String(subscription.quantity),
    meterDescription: '',
    billingFrequency: annual ? 'Annual' : 'Monthly',
    reservationOrderId: '',
    invoiceLineItemType: 'billing_line_items',
    billingProvider: 'one_time',
    promotionId: '',
  };
  const lines: InvoiceLineRow[] = [];
  for (let i = 0; i < count; i++) {
    lines.push({ ...base, referenceId: stableGuid(`${invoiceId}/${subscription.id}/${i}`) });
  }
  return lines;
}

/** What {@link generateInvoices} builds from. */
export interface InvoiceSource {
  readonly partnerTenantId: string;
  /** The partner's subscriptions, ordered by creation then id. */
  readonly subscriptions: readonly BilledSubscription[];
  /** The clock: months up to and including the current one are invoiced. */
  readonly now: Date;
  /** Line items per subscription on each invoice. */
  readonly linesPerSubscription: number;
}

/**
 * One invoice per calendar month from the month of the partner's first subscription through
 * the current month (license-based subscriptions are billed in advance), each holding the
 * subscriptions created before the month's end.
 */
export function generateInvoices(source: InvoiceSource): GeneratedInvoice[] {
  const { partnerTenantId, subscriptions, now, linesPerSubscription } = source;
  const first = subscriptions[0];
  if (first === undefined) return [];
  const invoices: GeneratedInvoice[] = [];
  for (let start = monthStart(new Date(first.createdAt)); start <= now; start = nextMonth(start)) {
    const end = nextMonth(start);
    const id = invoiceNumber(partnerTenantId, start);
    const lines: InvoiceLineRow[] = [];
    for (const subscription of subscriptions) {
      if (new Date(subscription.createdAt) >= end) continue;
      lines.push(...linesOf(partnerTenantId, id, subscription, start, end, linesPerSubscription));
    }
    let total = 0;
    for (const line of lines) total += Number(line.totalForCustomer);
    invoices.push({
      id,
      invoiceDate: day(start),
      periodStart: day(start),
      periodEnd: day(new Date(end.getTime() - DAY_MS)),
      totalCharges: Math.round(total * 100) / 100,
      currencyCode: 'USD',
      lines,
    });
  }
  return invoices;
}
