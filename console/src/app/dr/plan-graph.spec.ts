import { layoutPlan, planGraphOptions, type GraphStep } from './plan-graph';

const step = (id: string, group = 1, kind = 'action'): GraphStep => ({ id, title: `title ${id}`, group, kind, estimateSeconds: 10 });

describe('plan graph layout', () => {
  const steps = [step('db-a'), step('db-b'), step('app-a', 2), step('app-b', 2), step('traffic', 2, 'manual')];
  const edges: [string, string][] = [['db-a', 'app-a'], ['db-b', 'app-b'], ['app-a', 'traffic'], ['app-b', 'traffic']];

  it('puts each step one column right of its deepest dependency and stacks a column in rows', () => {
    const layout = layoutPlan(steps, edges, ['db-a', 'app-a', 'traffic']);
    const at = Object.fromEntries(layout.steps.map((s) => [s.id, `${s.column},${s.row}`]));
    expect(at).toEqual({ 'db-a': '0,0', 'db-b': '0,1', 'app-a': '1,0', 'app-b': '1,1', traffic: '2,0' });
    expect([layout.columns, layout.rows]).toEqual([3, 2]);
  });

  it('marks the critical path’s steps and only the edges between consecutive steps of it', () => {
    const layout = layoutPlan(steps, edges, ['db-a', 'app-a', 'traffic']);
    expect(layout.steps.filter((s) => s.critical).map((s) => s.id).sort()).toEqual(['app-a', 'db-a', 'traffic']);
    expect(layout.edges.filter((e) => e.critical).map((e) => `${e.from}>${e.to}`)).toEqual(['db-a>app-a', 'app-a>traffic']);
  });

  it('ignores edges to steps the draft no longer has (a preview older than the last edit)', () => {
    const layout = layoutPlan([step('a'), step('b')], [['a', 'b'], ['gone', 'b'], ['a', 'gone']], []);
    expect(layout.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['a>b']);
    expect(layout.steps.find((s) => s.id === 'b')!.column).toBe(1);
  });

  it('lays out a long chain without recursion', () => {
    const chain = Array.from({ length: 3000 }, (_, i) => step(`s-${i}`));
    const links = chain.slice(1).map((s, i): [string, string] => [chain[i]!.id, s.id]);
    expect(layoutPlan(chain, links, []).columns).toBe(3000);
  });

  it('draws nodes at fixed positions, critical ones larger and outlined in red, with arrows along the edges', () => {
    const option = planGraphOptions(layoutPlan(steps, edges, ['db-a', 'app-a', 'traffic']), (k) => k) as {
      series: { data: { name: string; x: number; y: number; symbolSize: number; itemStyle: { borderColor: string } }[]; links: { source: string; lineStyle: { color: string } }[] }[];
    };
    const nodes = new Map(option.series[0]!.data.map((n) => [n.name, n]));
    expect([nodes.get('traffic')!.x, nodes.get('db-b')!.y]).toEqual([320, 70]);
    expect([nodes.get('db-a')!.symbolSize, nodes.get('db-b')!.symbolSize]).toEqual([22, 16]);
    expect(nodes.get('db-a')!.itemStyle.borderColor).toBe('#b91c1c');
    expect(option.series[0]!.links.filter((l) => l.lineStyle.color === '#b91c1c').length).toBe(2);
  });
});
