/** A tiny customer store the fixture apps share, shaped like Partner Center resources. */

/** The bearer token the fixture apps accept. */
export const TOKEN = 'conformance-test-token';

/** A customer resource. */
export interface Customer {
  id: string;
  companyProfile: { companyName: string };
  attributes: { objectType: 'Customer'; etag: string };
}

/** A store with one customer, `c-1`. */
export function createStore(): Map<string, Customer> {
  const store = new Map<string, Customer>();
  store.set('c-1', {
    id: 'c-1',
    companyProfile: { companyName: 'Contoso' },
    attributes: { objectType: 'Customer', etag: '"1"' },
  });
  return store;
}

/** The Partner Center collection shape. */
export function collection(store: Map<string, Customer>) {
  const items = [...store.values()];
  return {
    totalCount: items.length,
    items,
    links: { self: { uri: '/v1/customers', method: 'GET' } },
    attributes: { objectType: 'Collection' },
  };
}

/** Adds a customer from a request body (as naive handlers do: no validation). */
export function addCustomer(
  store: Map<string, Customer>,
  body: { companyName?: string | undefined } | undefined,
): Customer {
  const id = `c-${store.size + 1}`;
  const customer: Customer = {
    id,
    companyProfile: { companyName: String(body?.companyName) },
    attributes: { objectType: 'Customer', etag: '"1"' },
  };
  store.set(id, customer);
  return customer;
}
