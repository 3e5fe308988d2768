/** What the fixture answers about itself: `GET /version` and `GET /apis` discovery. */

export const VERSION_INFO = { major: '1', minor: '30', gitVersion: 'v1.30.0-ganyun-fixture', platform: 'linux/amd64' };

/** `GET /apis` discovery: the groups served (KubeVirt's only when it is installed). */
export function apiGroups(kubevirt: boolean): unknown {
  const group = (name: string) => ({ name, versions: [{ groupVersion: `${name}/v1`, version: 'v1' }], preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' } });
  const names = ['apps', 'networking.k8s.io', 'rbac.authorization.k8s.io', ...(kubevirt ? ['kubevirt.io'] : [])];
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: names.map(group) };
}
