/**
 * Writes of one execution that must not race run one after another per key (a company name,
 * a contact's email), in the order the items asked, while other keys run at the same time.
 * Without it two items with the same key could both look up, both find nothing and both
 * create (issue 15, defect 8).
 */
export class SerialByKey {
	/** key -> the last task queued for it (the next one waits for it, whatever its outcome). */
	private readonly last = new Map<string, Promise<unknown>>();

	/**
	 * Queues `task` behind the tasks already queued for `key` and returns its result. The turn
	 * is taken when `run` is called, before anything is awaited: items that call `run` in
	 * order are served in that order.
	 */
	async run<T>(key: string, task: () => Promise<T>): Promise<T> {
		const previous = this.last.get(key) ?? Promise.resolve();
		const mine = previous.catch(() => undefined).then(task);
		this.last.set(key, mine);
		try {
			return await mine;
		} finally {
			if (this.last.get(key) === mine) this.last.delete(key);
		}
	}
}
