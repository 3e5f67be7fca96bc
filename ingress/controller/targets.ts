/** The API resources the ingress controller watches and writes. */
import type { ResourceTarget } from '../../core/client/index.js';

export const ingressTarget: ResourceTarget = { apiVersion: 'networking.k8s.io/v1', plural: 'ingresses', namespaced: true };
export const ingressClassTarget: ResourceTarget = { apiVersion: 'networking.k8s.io/v1', plural: 'ingressclasses', namespaced: false };
export const serviceTarget: ResourceTarget = { apiVersion: 'v1', plural: 'services', namespaced: true };
export const endpointsTarget: ResourceTarget = { apiVersion: 'v1', plural: 'endpoints', namespaced: true };
export const secretTarget: ResourceTarget = { apiVersion: 'v1', plural: 'secrets', namespaced: true };
