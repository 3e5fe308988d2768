/**
 * What a Jiangxi government cloud typically offers and hosts: OS images (domestic ones
 * first, CentOS 7 as the legacy being migrated away from) and the departments and
 * business systems (业务系统) whose names fill the simulated inventory.
 */
import type { CpuArch } from '../spi.ts';

export interface OsImage {
  readonly id: string;
  readonly name: string;
  readonly arches: readonly CpuArch[];
  /** End-of-life images still found on clouds; migrations should move off them. */
  readonly legacy?: boolean;
}

export const DEFAULT_IMAGES: readonly OsImage[] = [
  { id: 'kylin-v10-sp3', name: '银河麒麟高级服务器操作系统 V10 SP3', arches: ['x86_64', 'arm64', 'loongarch64'] },
  { id: 'uos-server-20-1070', name: '统信服务器操作系统 UOS V20 (1070)', arches: ['x86_64', 'arm64', 'loongarch64'] },
  { id: 'openeuler-22.03-lts-sp3', name: 'openEuler 22.03 LTS SP3', arches: ['x86_64', 'arm64'] },
  { id: 'anolis-8.8', name: '龙蜥 Anolis OS 8.8', arches: ['x86_64', 'arm64', 'loongarch64'] },
  { id: 'centos-7.9', name: 'CentOS 7.9 (已停止维护)', arches: ['x86_64'], legacy: true },
  { id: 'windows-server-2012r2', name: 'Windows Server 2012 R2 (已停止维护)', arches: ['x86_64'], legacy: true },
];

export interface BusinessSystem {
  /** Short pinyin slug, used in tenant-space names. */
  readonly slug: string;
  readonly name: string;
  readonly department: string;
}

/** Systems of provincial departments (hosted on the provincial cloud and Xinchuang clouds). */
export const PROVINCIAL_SYSTEMS: readonly BusinessSystem[] = [
  { slug: 'ggzyjy', name: '江西省公共资源交易系统', department: '江西省公共资源交易中心' },
  { slug: 'gft', name: '赣服通', department: '江西省政务服务管理办公室' },
  { slug: 'zwfww', name: '江西政务服务网', department: '江西省政务服务管理办公室' },
  { slug: 'sjgx', name: '江西省政务数据共享交换平台', department: '江西省大数据中心' },
  { slug: 'shbx', name: '江西省社会保险信息系统', department: '江西省人力资源和社会保障厅' },
  { slug: 'jycy', name: '江西省就业创业服务平台', department: '江西省人力资源和社会保障厅' },
  { slug: 'qmjk', name: '江西省全民健康信息平台', department: '江西省卫生健康委员会' },
  { slug: 'ybxx', name: '江西省医疗保障信息平台', department: '江西省医疗保障局' },
  { slug: 'bdcdj', name: '江西省不动产登记信息平台', department: '江西省自然资源厅' },
  { slug: 'sczt', name: '江西省市场主体登记系统', department: '江西省市场监督管理局' },
  { slug: 'tzxm', name: '江西省投资项目在线审批监管平台', department: '江西省发展和改革委员会' },
  { slug: 'yszx', name: '江西省预算管理一体化系统', department: '江西省财政厅' },
  { slug: 'stjc', name: '江西省生态环境监测平台', department: '江西省生态环境厅' },
  { slug: 'yjzh', name: '江西省应急指挥平台', department: '江西省应急管理厅' },
  { slug: 'jyks', name: '江西省教育考试信息系统', department: '江西省教育考试院' },
  { slug: 'jtzf', name: '江西省交通运输综合执法系统', department: '江西省交通运输厅' },
  { slug: 'gbzn', name: '江西省高标准农田管理平台', department: '江西省农业农村厅' },
  { slug: 'oa', name: '江西省协同办公系统', department: '江西省人民政府办公厅' },
];

/** Systems every city runs; names get the city's name as prefix (南昌市不动产登记系统). */
export const CITY_SYSTEMS: readonly BusinessSystem[] = [
  { slug: 'zwfw', name: '政务服务平台', department: '行政审批局' },
  { slug: 'bdcdj', name: '不动产登记系统', department: '自然资源局' },
  { slug: 'cyyg', name: '城市运行管理平台', department: '城市运行管理中心' },
  { slug: 'zhcg', name: '智慧城管系统', department: '城市管理局' },
  { slug: 'gjj', name: '住房公积金管理系统', department: '住房公积金管理中心' },
  { slug: 'rx12345', name: '12345政务服务便民热线', department: '政务服务数据管理局' },
  { slug: 'zhjy', name: '智慧教育平台', department: '教育局' },
  { slug: 'ybxx', name: '医疗保障信息系统', department: '医疗保障局' },
  { slug: 'shbx', name: '社会保险经办系统', department: '人力资源和社会保障局' },
  { slug: 'jkda', name: '居民健康档案系统', department: '卫生健康委员会' },
  { slug: 'zjxm', name: '工程建设项目审批系统', department: '住房和城乡建设局' },
  { slug: 'oa', name: '协同办公系统', department: '人民政府办公室' },
];

/** Roles of the machines a system is made of, for resource names and sizes. */
export interface ResourceRole {
  readonly suffix: string;
  readonly label: string;
  readonly kind: 'vm' | 'workload' | 'volume' | 'network-segment';
  readonly vcpu: readonly number[];
  readonly memoryPerVcpu: number;
  readonly storageGiB: readonly number[];
}

export const RESOURCE_ROLES: readonly ResourceRole[] = [
  { suffix: 'app', label: '应用服务器', kind: 'vm', vcpu: [4, 8, 16], memoryPerVcpu: 2, storageGiB: [100, 200] },
  { suffix: 'web', label: 'Web 服务器', kind: 'vm', vcpu: [2, 4, 8], memoryPerVcpu: 2, storageGiB: [50, 100] },
  { suffix: 'db', label: '数据库服务器 (达梦 DM8)', kind: 'vm', vcpu: [8, 16, 32], memoryPerVcpu: 4, storageGiB: [500, 1000] },
  { suffix: 'api', label: '接口服务', kind: 'workload', vcpu: [1, 2, 4], memoryPerVcpu: 2, storageGiB: [0] },
  { suffix: 'data', label: '数据盘', kind: 'volume', vcpu: [0], memoryPerVcpu: 0, storageGiB: [200, 500, 1000, 2000] },
  { suffix: 'net', label: '业务网段', kind: 'network-segment', vcpu: [0], memoryPerVcpu: 0, storageGiB: [0] },
];
