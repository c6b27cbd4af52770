import { intBetween, mulberry32, pick } from './prng.js';

/** The sizes of the million-row benchmark; every one is a parameter of `bench/generate.ts`. */
export interface Sizes {
  readonly orders: number;
  readonly customers: number;
  readonly salesmen: number;
  readonly departments: number;
  readonly seed: number;
}

export const FULL_SIZES: Sizes = { orders: 1_000_000, customers: 200_000, salesmen: 1_000, departments: 60, seed: 42 };

export interface Department {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly seeAll: boolean;
  readonly seeSameLevel: boolean;
}

export const GRADES = ['gold', 'silver', 'bronze'] as const;
export const INDUSTRIES = [
  'agriculture', 'automotive', 'banking', 'chemicals', 'construction', 'education', 'energy', 'food',
  'healthcare', 'hospitality', 'insurance', 'it', 'logistics', 'machinery', 'media', 'mining',
  'pharma', 'real-estate', 'retail', 'telecom',
] as const;

/** Q3 searches customer names for this substring: part of one surname out of 40 (about 2.5% of customers). */
export const SEARCH_TERM = 'artman';

const FIRST = [
  'Ada', 'Alan', 'Grace', 'Linus', 'Barbara', 'Ken', 'Margaret', 'Dennis', 'Frances', 'Edsger',
  'Hedy', 'John', 'Katherine', 'Donald', 'Radia', 'Tim', 'Sophie', 'Niklaus', 'Shafi', 'Leslie',
  'Wei', 'Li', 'Fang', 'Jun', 'Mei', 'Hao', 'Yan', 'Lei', 'Ming', 'Xin',
];
const LAST = [
  'Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Liskov', 'Thompson', 'Hamilton', 'Ritchie', 'Allen', 'Dijkstra',
  'Lamarr', 'Backus', 'Johnson', 'Knuth', 'Perlman', 'Berners', 'Wilson', 'Wirth', 'Goldwasser', 'Lamport',
  'Wang', 'Zhang', 'Chen', 'Liu', 'Yang', 'Huang', 'Zhao', 'Zhou', 'Wu', 'Xu',
  'Hartmann', 'Schmidt', 'Novak', 'Rossi', 'Dubois', 'Silva', 'Kowalski', 'Jensen', 'Nakamura', 'Okafor',
];
const COMPANY = ['Trading', 'Industries', 'Logistics', 'Systems', 'Foods', 'Labs', 'Partners', 'Retail'];

/** 2023-01-01 + day: three years of order dates (1096 days). */
export const FIRST_DAY = Date.UTC(2023, 0, 1);
export const DAYS = 1096;

/**
 * The whole benchmark dataset, in memory as typed arrays (1M orders take about 14 MB), so that
 * exactly the same rows go into Stratum's tables and into the plain schema. Ids are positions + 1.
 */
export interface Dataset {
  readonly sizes: Sizes;
  readonly departments: readonly Department[];
  /** salesman i+1: name and department id. */
  readonly salesmanName: readonly string[];
  readonly salesmanDepartment: Int32Array;
  readonly customerName: readonly string[];
  readonly customerGrade: Uint8Array;
  readonly customerIndustry: Uint8Array;
  readonly customerSalesman: Int32Array;
  readonly orderCustomer: Int32Array;
  readonly orderSalesman: Int32Array;
  /** Amount in cents, 100.00 .. 500,000.00. */
  readonly orderCents: Int32Array;
  /** Days after FIRST_DAY. */
  readonly orderDay: Uint16Array;
}

export const customerPhone = (id: number): string => `+1 555 ${String(id).padStart(7, '0')}`;
export const orderNumber = (id: number): string => `SO${String(id).padStart(9, '0')}`;
export const orderDate = (day: number): string => new Date(FIRST_DAY + day * 86_400_000).toISOString().slice(0, 10);
export const orderAmount = (cents: number): number => cents / 100;
/** System timestamps of loaded rows: fixed, so that every field of a record compares equal across databases. */
export const LOADED_AT = '2025-12-31 12:00:00.000';

/** Generates the dataset for `sizes`; the same sizes and seed always give the same rows. */
export function generateDataset(sizes: Sizes): Dataset {
  const rand = mulberry32(sizes.seed);
  const departments = departmentTree(sizes.departments, rand);

  const salesmanName: string[] = [];
  const salesmanDepartment = new Int32Array(sizes.salesmen);
  for (let i = 0; i < sizes.salesmen; i++) {
    salesmanName.push(`${pick(rand, FIRST)} ${pick(rand, LAST)} (${i + 1})`);
    salesmanDepartment[i] = departments[Math.floor(rand() * departments.length)]!.id;
  }

  const customerName: string[] = [];
  const customerGrade = new Uint8Array(sizes.customers);
  const customerIndustry = new Uint8Array(sizes.customers);
  const customerSalesman = new Int32Array(sizes.customers);
  for (let i = 0; i < sizes.customers; i++) {
    customerName.push(`${pick(rand, LAST)} ${pick(rand, COMPANY)} ${pick(rand, FIRST)}`);
    const g = rand();
    customerGrade[i] = g < 0.15 ? 0 : g < 0.5 ? 1 : 2;
    customerIndustry[i] = Math.floor(rand() * INDUSTRIES.length);
    customerSalesman[i] = intBetween(rand, 1, sizes.salesmen);
  }

  const orderCustomer = new Int32Array(sizes.orders);
  const orderSalesman = new Int32Array(sizes.orders);
  const orderCents = new Int32Array(sizes.orders);
  const orderDay = new Uint16Array(sizes.orders);
  for (let i = 0; i < sizes.orders; i++) {
    const customer = intBetween(rand, 1, sizes.customers);
    orderCustomer[i] = customer;
    orderSalesman[i] = rand() < 0.9 ? customerSalesman[customer - 1]! : intBetween(rand, 1, sizes.salesmen);
    orderCents[i] = intBetween(rand, 10_000, 50_000_000);
    orderDay[i] = Math.floor(rand() * DAYS);
  }
  return {
    sizes, departments, salesmanName, salesmanDepartment, customerName, customerGrade, customerIndustry, customerSalesman,
    orderCustomer, orderSalesman, orderCents, orderDay,
  };
}

/**
 * About `total` departments in a code-prefix tree, two characters per level, at most five levels
 * (codes up to 10 characters). V-1's codes are fixed: 00 company; 0001 office and 0002 finance
 * (see all); 0010 sales with 001001 (see same level), 001002 (a leaf: V-2's `=`) and 001003.
 * Sales holds a third of the departments, so that its users see about a third of the orders; the
 * rest grows at random under 0020..0050.
 */
export function departmentTree(total: number, rand: () => number): Department[] {
  if (total < 12) throw new Error('--departments must be at least 12 (the codes of V-1 and a few more)');
  const nodes: { code: string; name: string; seeAll?: boolean; seeSameLevel?: boolean }[] = [
    { code: '00', name: 'Company' },
    { code: '0001', name: 'Office', seeAll: true },
    { code: '0002', name: 'Finance', seeAll: true },
    { code: '0010', name: 'Sales' },
    { code: '001001', name: 'Sales 1', seeSameLevel: true },
    { code: '001002', name: 'Sales 2' },
    { code: '001003', name: 'Sales 3' },
    { code: '001004', name: 'Sales 4' },
  ];
  const leaves = new Set(['0001', '0002', '001002']);
  const grow = (root: string, count: number) => {
    for (let added = 0; added < count; added++) {
      const parents = nodes.filter((n) => n.code.startsWith(root) && n.code.length < 10 && !leaves.has(n.code));
      const parent = pick(rand, parents).code;
      const children = nodes.filter((n) => n.code.length === parent.length + 2 && n.code.startsWith(parent)).length;
      const code = `${parent}${String(children + 1).padStart(2, '0')}`;
      nodes.push({ code, name: `Unit ${code}` });
    }
  };
  const sales = Math.round(total / 3);
  grow('0010', sales - 5);
  const others = ['0020', '0030', '0040', '0050'];
  for (const code of others) nodes.push({ code, name: `Division ${code}` });
  const rest = total - nodes.length;
  for (let i = 0; i < rest; i++) grow(pick(rand, others), 1);
  return nodes
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((n, i) => ({ id: i + 1, code: n.code, name: n.name, seeAll: n.seeAll ?? false, seeSameLevel: n.seeSameLevel ?? false }));
}
