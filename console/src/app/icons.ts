import type { IconDefinition } from '@ant-design/icons-angular';
import * as appIcons from './app-icon-set';

/**
 * Icons are registered statically: ng-zorro would otherwise fetch unknown icons over HTTP at
 * run time, which an offline government network may not allow. The set is named once, in
 * app-icon-set.ts; only those icons are bundled.
 */
export const APP_ICONS: IconDefinition[] = Object.values(appIcons);
