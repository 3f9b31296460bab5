/** An order in which every node comes after its parents, for layouts that place parents first. */

/**
 * The nodes ordered parents first, ties by the given order (call order keeps a run's graph
 * stable). Parents outside `nodes` are taken as placed; nodes on a cycle, which a run cannot
 * have, come last in the given order.
 */
export function topologicalOrder(
  nodes: readonly number[],
  parents: ReadonlyMap<number, readonly number[]>,
): number[] {
  const position = new Map(nodes.map((id, i) => [id, i]));
  // A run's ids grow in call order and parents are called first: then the order is as given.
  if (parentsComeFirst(nodes, parents, position)) return [...nodes];
  const pending = new Set(nodes);
  const waiting = new Map<number, number>();
  const children = new Map<number, number[]>();
  for (const id of nodes) {
    let count = 0;
    for (const parent of parents.get(id) ?? []) {
      if (!pending.has(parent) || parent === id) continue;
      count++;
      const list = children.get(parent);
      if (list === undefined) children.set(parent, [id]);
      else list.push(id);
    }
    waiting.set(id, count);
  }
  // Static graphs may list a child before its parent: release nodes as their parents are done.
  const order: number[] = [];
  const ready = nodes.filter((id) => waiting.get(id) === 0);
  while (ready.length > 0) {
    const id = ready.shift() as number;
    order.push(id);
    pending.delete(id);
    const released: number[] = [];
    for (const child of children.get(id) ?? []) {
      const left = (waiting.get(child) ?? 1) - 1;
      waiting.set(child, left);
      if (left === 0) released.push(child);
    }
    if (released.length > 0) mergeByPosition(ready, released, position);
  }
  for (const id of nodes) if (pending.has(id)) order.push(id);
  return order;
}

function parentsComeFirst(
  nodes: readonly number[],
  parents: ReadonlyMap<number, readonly number[]>,
  position: ReadonlyMap<number, number>,
): boolean {
  for (let i = 0; i < nodes.length; i++) {
    for (const parent of parents.get(nodes[i] as number) ?? []) {
      if ((position.get(parent) ?? -1) >= i) return false;
    }
  }
  return true;
}

function mergeByPosition(
  ready: number[],
  released: readonly number[],
  position: ReadonlyMap<number, number>,
): void {
  ready.push(...released);
  ready.sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
}
