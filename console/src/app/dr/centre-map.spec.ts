import { centreMapOptions, type MapCentre, type MapLink } from './centre-map';

type Option = { series: { data: { name: string; x: number; y: number }[]; links: { source: string; target: string; lag: string; lineStyle: { color: string; type: string } }[] }[] };

describe('DR centre map', () => {
  const centres: MapCentre[] = [
    { id: 'gz/dr', cloudId: 'gz', role: 'remote-dr', label: '赣州灾备' },
    { id: 'p/main', cloudId: 'p', role: 'production', label: '主中心' },
    { id: 'p/dr', cloudId: 'p', role: 'same-city-dr', label: '同城灾备' },
  ];
  const links: MapLink[] = [
    { id: 'a', from: 'p/main', to: 'p/dr', mode: 'sync', state: 'healthy', lagSeconds: 0 },
    { id: 'b', from: 'p/main', to: 'gz/dr', mode: 'async', state: 'broken', lagSeconds: 312.44 },
    { id: 'c', from: 'p/main', to: 'elsewhere/x', mode: 'async', state: 'healthy', lagSeconds: 1 },
  ];

  it('places production, same-city and remote centres in three columns, a cloud’s centres on one row', () => {
    const option = centreMapOptions(centres, links, (r) => r) as Option;
    const at = Object.fromEntries(option.series[0]!.data.map((n) => [n.name, [n.x, n.y]]));
    expect(at).toEqual({ 'p/main': [0, 0], 'p/dr': [260, 0], 'gz/dr': [520, 120] });
  });

  it('labels each link with its mode and lag, colours it by state, dashes a broken one, and drops links to unknown centres', () => {
    const option = centreMapOptions(centres, links, (r) => r) as Option;
    expect(option.series[0]!.links.map((l) => [l.source, l.target, l.lag, l.lineStyle.color, l.lineStyle.type])).toEqual([
      ['p/main', 'p/dr', 'sync · 0.0 s', '#15803d', 'solid'],
      ['p/main', 'gz/dr', 'async · 312.4 s', '#b91c1c', 'dashed'],
    ]);
  });
});
