import type { Pool } from 'mysql2/promise';
import {
  customerPhone, GRADES, INDUSTRIES, LOADED_AT, orderAmount, orderDate, orderNumber, type Dataset,
} from './dataset.js';

/**
 * F1's schema: the plain, normalised tables a skilled developer writes by hand for this workload,
 * with foreign keys and the indexes the queries need (and no more):
 * - orders(order_date) serves the newest-first page (walk it backwards, stop at 25);
 * - orders(salesman_id, order_date) serves a department's orders (salesmen of the department →
 *   their orders, already in date order per salesman) and its exact count, index-only;
 * - orders(customer_id), customers(salesman_id), salesmen(department_id): the foreign keys;
 * - departments(code) unique: the prefix range of a department subtree;
 * - customers(grade): the grade rule.
 * The audit columns (created_at … version) are kept so that the records are the same as Stratum's.
 */
export const PLAIN_DDL: readonly string[] = [
  `CREATE TABLE departments (
    id INT NOT NULL PRIMARY KEY,
    code VARCHAR(64) NOT NULL,
    name VARCHAR(128) NOT NULL,
    see_all TINYINT(1) NOT NULL DEFAULT 0,
    see_same_level TINYINT(1) NOT NULL DEFAULT 0,
    UNIQUE KEY ux_departments_code (code)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
  `CREATE TABLE users (
    id INT NOT NULL PRIMARY KEY,
    username VARCHAR(64) NOT NULL,
    department_id INT NULL,
    UNIQUE KEY ux_users_username (username),
    CONSTRAINT fk_users_department FOREIGN KEY (department_id) REFERENCES departments (id)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
  `CREATE TABLE salesmen (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    created_by INT NULL,
    updated_by INT NULL,
    version INT NOT NULL DEFAULT 1,
    name VARCHAR(60) NOT NULL,
    department_id INT NULL,
    KEY ix_salesmen_department (department_id),
    CONSTRAINT fk_salesmen_department FOREIGN KEY (department_id) REFERENCES departments (id)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
  `CREATE TABLE customers (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    created_by INT NULL,
    updated_by INT NULL,
    version INT NOT NULL DEFAULT 1,
    name VARCHAR(100) NOT NULL,
    phone VARCHAR(20) NOT NULL,
    grade ENUM('gold', 'silver', 'bronze') NOT NULL DEFAULT 'bronze',
    industry VARCHAR(32) NULL,
    salesman_id INT NULL,
    UNIQUE KEY ux_customers_phone (phone),
    KEY ix_customers_salesman (salesman_id),
    KEY ix_customers_grade (grade),
    CONSTRAINT fk_customers_salesman FOREIGN KEY (salesman_id) REFERENCES salesmen (id)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
  `CREATE TABLE orders (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    created_by INT NULL,
    updated_by INT NULL,
    version INT NOT NULL DEFAULT 1,
    number VARCHAR(32) NOT NULL,
    amount DECIMAL(12, 2) NOT NULL,
    order_date DATE NOT NULL,
    customer_id INT NOT NULL,
    salesman_id INT NOT NULL,
    UNIQUE KEY ux_orders_number (number),
    KEY ix_orders_salesman_date (salesman_id, order_date),
    KEY ix_orders_date (order_date),
    KEY ix_orders_customer (customer_id),
    CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id),
    CONSTRAINT fk_orders_salesman FOREIGN KEY (salesman_id) REFERENCES salesmen (id)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
  `CREATE TABLE bench_meta (
    name VARCHAR(64) NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
];

const BATCH = 1000;

/** Creates F1's tables and loads the dataset, with the ids and users Stratum got. */
export async function loadPlain(
  pool: Pool,
  data: Dataset,
  stratumUsers: { adminId: number; users: Record<string, number>; departments: Record<string, string> },
  log: (line: string) => void,
): Promise<void> {
  for (const ddl of PLAIN_DDL) await pool.query(ddl);
  const audit = (createdAt: string) => [createdAt, createdAt, stratumUsers.adminId, stratumUsers.adminId, 1];
  await insertRows(pool, 'departments', ['id', 'code', 'name', 'see_all', 'see_same_level'], data.departments.length, (i) => {
    const d = data.departments[i]!;
    return [d.id, d.code, d.name, d.seeAll ? 1 : 0, d.seeSameLevel ? 1 : 0];
  });
  const users = [['admin', stratumUsers.adminId, null] as const, ...Object.entries(stratumUsers.users).map(([name, id]) => [name, id, stratumUsers.departments[name]!] as const)];
  await insertRows(pool, 'users', ['id', 'username', 'department_id'], users.length, (i) => {
    const [name, id, code] = users[i]!;
    return [id, name, code === null ? null : data.departments.find((d) => d.code === code)!.id];
  });
  const cols = ['id', 'created_at', 'updated_at', 'created_by', 'updated_by', 'version'];
  await insertRows(pool, 'salesmen', [...cols, 'name', 'department_id'], data.sizes.salesmen, (i) => [
    i + 1, ...audit(LOADED_AT), data.salesmanName[i], data.salesmanDepartment[i],
  ]);
  await insertRows(pool, 'customers', [...cols, 'name', 'phone', 'grade', 'industry', 'salesman_id'], data.sizes.customers, (i) => [
    i + 1, ...audit(LOADED_AT), data.customerName[i], customerPhone(i + 1), GRADES[data.customerGrade[i]!], INDUSTRIES[data.customerIndustry[i]!],
    data.customerSalesman[i],
  ]);
  const started = Date.now();
  await insertRows(pool, 'orders', [...cols, 'number', 'amount', 'order_date', 'customer_id', 'salesman_id'], data.sizes.orders, (i) => {
    const date = orderDate(data.orderDay[i]!);
    return [i + 1, ...audit(`${date} 12:00:00.000`), orderNumber(i + 1), orderAmount(data.orderCents[i]!), date, data.orderCustomer[i], data.orderSalesman[i]];
  });
  log(`  plain: ${data.sizes.orders} orders in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function insertRows(pool: Pool, table: string, columns: readonly string[], count: number, row: (i: number) => unknown[]): Promise<void> {
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ?`;
  for (let start = 0; start < count; start += BATCH) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) rows.push(row(i));
    await pool.query(head, [rows]);
  }
}
