/** The bare baseline's activities: as many as the campaign has, doing nothing. */
export async function noop(_input: { step: string }): Promise<{ ok: true }> {
  return { ok: true };
}
