/**
 * The record types of the library's modules. `npm run types` generates them only for plugins under
 * modules/, so a plugin kept elsewhere states them itself and widens the generated map with them:
 * `records('loan')` then returns a `Loan`, and a misspelled field does not compile.
 */
import type { Modules } from '../../core/generated/modules.js';

interface SystemFields {
  id: number;
  createdAt: string;
  updatedAt: string;
  createdBy: number | null;
  updatedBy: number | null;
  version: number;
}

export interface Book extends SystemFields {
  title: string;
  author: string | null;
  isbn: string | null;
}

export interface Loan extends SystemFields {
  book: number;
  borrower: number;
  borrowedOn: string;
  dueOn: string;
  returnedOn: string | null;
}

export type LibraryModules = Modules & { book: Book; loan: Loan };
