/** The library's client part: its components, by the names plugin.ts gives them. */
import { defineClient } from '../../../ui/plugin-sdk.js';
import { IsbnInput } from './isbn-input.js';
import { OverduePage } from './overdue-page.js';
import { ReturnButton } from './return-button.js';

export default defineClient({ components: { OverduePage, ReturnButton, IsbnInput } });
