export async function summarizeProfiles() { return ''; }
