/** Where the example's notices go. Swap `send` for a mail transport; the tests swap it for a recorder. */
export interface Notice {
  readonly to: string;
  readonly text: string;
}

export const notifier = {
  async send(notice: Notice): Promise<void> {
    console.log(`[example] to ${notice.to}: ${notice.text}`);
  },
};
