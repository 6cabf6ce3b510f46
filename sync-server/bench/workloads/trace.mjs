export async function trace() { return { title: 'trace', tables: [] }; }
