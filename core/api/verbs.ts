/** The verbs discovery advertises for a kind. */
export const STANDARD_VERBS: readonly string[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
export const READ_ONLY_VERBS: readonly string[] = ['get', 'list'];
