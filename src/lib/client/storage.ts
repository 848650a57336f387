/** localStorage that never throws (private mode, full quota, disabled storage). */
export const local = {
	get<T>(key: string): T | null {
		try {
			const raw = localStorage.getItem(key);
			return raw === null ? null : (JSON.parse(raw) as T);
		} catch {
			return null;
		}
	},
	set(key: string, value: unknown): void {
		try {
			localStorage.setItem(key, JSON.stringify(value));
		} catch {
			// the session still works; it just will not survive a reload
		}
	},
	remove(key: string): void {
		try {
			localStorage.removeItem(key);
		} catch {
			// nothing stored, nothing to remove
		}
	}
};
