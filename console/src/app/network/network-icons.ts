import {
  AimOutline, ClusterOutline, DashboardOutline, DownloadOutline, ThunderboltOutline, UploadOutline, WarningOutline,
} from '@ant-design/icons-angular/icons';
import { provideNzIconsPatch } from 'ng-zorro-antd/icon';

/** Icons of the extranet pages, registered statically (no fetching icons at run time on an offline network). */
export const provideNetworkIcons = () =>
  provideNzIconsPatch([AimOutline, ClusterOutline, DashboardOutline, DownloadOutline, ThunderboltOutline, UploadOutline, WarningOutline]);
