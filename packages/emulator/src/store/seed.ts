/** The data a fresh database starts with: two partner tenants, their customers and subscriptions. */

import type { EmulatorStore } from './emulator-store.js';
import type { BillingProfile } from './records.js';

/** The partner tenant the printed token and curl lines use. */
export const SEED_PARTNER = 'f0e1d2c3-b4a5-4697-8899-aabbccddeeff';
/** A second partner tenant, so a token for one and a customer of the other give 403. */
export const OTHER_PARTNER = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

/** Seeded customer ids, fixed so docs and curl lines can name them. */
export const SEED_CUSTOMERS = {
  adatum: 'c0000001-0000-4000-8000-000000000001',
  litware: 'c0000002-0000-4000-8000-000000000002',
  northwind: 'c0000003-0000-4000-8000-000000000003',
  tailspin: 'c0000004-0000-4000-8000-000000000004',
} as const;

/** How old the seeded orders are: past the quantity-decrease window on purpose. */
const SEED_AGE_MS = 30 * 24 * 3600 * 1000;

function profile(companyName: string, email: string): BillingProfile {
  return {
    firstName: 'Alex',
    lastName: 'Doe',
    email,
    culture: 'en-US',
    language: 'en',
    companyName,
    defaultAddress: {
      country: 'US',
      city: 'Redmond',
      state: 'WA',
      addressLine1: '1 Microsoft Way',
      postalCode: '98052',
    },
  };
}

/** Fills an empty database; does nothing when customers exist (so restarts keep the data). */
export function seed(store: EmulatorStore, now: Date = new Date()): boolean {
  if (store.customers.count() > 0) return false;
  const at = new Date(now.getTime() - SEED_AGE_MS);
  const rows = [
    [SEED_PARTNER, SEED_CUSTOMERS.adatum, 'adatum.onmicrosoft.com', 'Adatum Corporation'],
    [SEED_PARTNER, SEED_CUSTOMERS.litware, 'litware.onmicrosoft.com', 'Litware, Inc.'],
    [SEED_PARTNER, SEED_CUSTOMERS.northwind, 'northwind.onmicrosoft.com', 'Northwind Traders'],
    [OTHER_PARTNER, SEED_CUSTOMERS.tailspin, 'tailspin.onmicrosoft.com', 'Tailspin Toys'],
  ] as const;
  store.db.transaction(() => {
    store.partners.ensure(SEED_PARTNER, 'Contoso Partner');
    store.partners.ensure(OTHER_PARTNER, 'Fabrikam Partner');
    for (const [partner, id, domain, name] of rows) {
      store.customers.create(
        {
          id,
          partnerTenantId: partner,
          domain,
          companyName: name,
          billingProfile: profile(name, `admin@${domain}`),
        },
        at,
      );
      store.orders.create(
        {
          customerId: id,
          billingCycle: 'monthly',
          lineItems: [
            {
              lineItemNumber: 0,
              offerId: 'CFQ7TTC0LH18:0001',
              quantity: 10,
              friendlyName: 'Microsoft 365 Business Basic',
            },
            {
              lineItemNumber: 1,
              offerId: 'CFQ7TTC0LF8Q:0001',
              quantity: 5,
              friendlyName: 'Microsoft 365 E5',
            },
          ],
        },
        at,
      );
    }
  })();
  return true;
}
