/** Every item of a paginated route: the platform's pages carry `nextToken` while more remain. */
export async function allPages<T>(
  read: (
    nextToken: string | undefined,
  ) => Promise<{ readonly items: readonly T[]; readonly nextToken?: string }>,
): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const page = await read(nextToken);
    items.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return items;
}
