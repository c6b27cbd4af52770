/** The CRM plugin's enrollment routes (modules/crm/enrollment/routes.ts), as the sales pages call them. */
import { api } from '../../../../ui/plugin-sdk.js';

const route = (id: number, step: string) => `/api/plugins/crm/enrollments/${id}/${step}`;

/** `page` is what the customer opens; only the latest link of an enrollment works. */
export interface EnrollmentLink {
  enrollment: number;
  page: string;
  url: string;
  expiresAt: string;
}

/** What the customer sent. */
export interface SubmittedForm {
  enrollment: number;
  name: string | null;
  phone: string | null;
  email: string | null;
  idNumber: string | null;
  agreedAt: string | null;
  submittedAt: string | null;
  idDocument: { type: string; size: number; url: string } | null;
}

export interface ApproveInput {
  method?: string;
  amount?: number;
  paidOn?: string;
}

/** What the approval created, and what became of the student's mail. */
export interface Approval {
  enrollment: number;
  status: 'approved';
  payment: number;
  student: number;
  membership: number;
  login: string;
  mail: 'sent' | 'kept' | 'failed';
}

export const createLink = (id: number) => api.request<EnrollmentLink>('POST', route(id, 'link'));
export const fetchSubmittedForm = (id: number) => api.request<SubmittedForm>('GET', route(id, 'form'));
export const approveEnrollment = (id: number, input: ApproveInput) => api.request<Approval>('POST', route(id, 'approve'), { body: input });
