export * from './types.ts';
export * from './reference.ts';
export { ImageCatalogue, DEFAULT_ENTRIES, digestFor, shellNotFoundText, toolsOfImage, type CatalogueEntry, type PullResult, type ResolvedImage } from './catalogue.ts';
export { ExecutableNotFoundError } from './container-sh/shell.ts';
export { hostnamePage, NGINX_WELCOME, NGINX_VERSION, HTTPD_INDEX } from './web-images.ts';
