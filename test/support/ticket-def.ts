/** A module with titled enum values (x-enum-titles, x-i18n.zh.enums), for test/schema and test/ui. */
export const ticketDef = {
  $id: 'ticket',
  title: 'Ticket',
  type: 'object',
  properties: {
    subject: { type: 'string', maxLength: 100 },
    status: { type: 'string', enum: ['open', 'in_progress', 'done'], 'x-enum-titles': { open: 'Open', in_progress: 'In progress' }, title: 'Status' },
    channels: { type: 'array', items: { enum: ['mail', 'phone'] }, uniqueItems: true, 'x-enum-titles': { mail: 'E-mail' } },
  },
  'x-i18n': { zh: { title: '工单', properties: { status: '状态' }, enums: { status: { open: '待处理', in_progress: '处理中', done: '已完成' }, channels: { phone: '电话' } } } },
};
