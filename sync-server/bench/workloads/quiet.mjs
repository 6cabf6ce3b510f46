export async function quiet() { return { title: 'quiet', tables: [] }; }
