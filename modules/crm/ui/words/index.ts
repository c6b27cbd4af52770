/** The CRM's words in the reader's language, the admin UI's own where the CRM has none ('loading', 'form.save'). */
import { defineWords } from '../../../../ui/plugin-sdk.js';
import { EN, type CrmKey } from './en.js';
import { ZH } from './zh.js';

export type { CrmKey };
export const t = defineWords(EN, ZH);
