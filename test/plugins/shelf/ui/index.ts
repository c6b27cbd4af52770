import { defineClient, html, type PageProps, type RecordProps, type WidgetProps } from '../../../../ui/plugin-sdk.js';

const ShelfPage = ({ session }: PageProps) => html`<h1 data-testid="shelf-page">Shelf of ${session?.me.username}</h1>`;
const OpenPage = ({ params }: PageProps) => html`<h1 data-testid="open-page">Open shelf ${params.code}</h1>`;
const LendButton = ({ record }: RecordProps) => html`<button type="button" data-testid="lend">Lend ${record.title}</button>`;
const NoteButton = () => html`<button type="button" data-testid="note">Note</button>`;
const BookPanel = ({ record }: RecordProps) => html`<p data-testid="book-panel">Panel of ${record.title}</p>`;
const IsbnInput = ({ id, value, onChange }: WidgetProps) =>
  html`<input id=${id} data-testid="isbn-widget" value=${value ?? ''} onInput=${(e: Event) => onChange((e.target as HTMLInputElement).value.replace(/[^0-9X]/g, ''))} />`;

export default defineClient({ components: { ShelfPage, OpenPage, LendButton, NoteButton, BookPanel, IsbnInput } });
