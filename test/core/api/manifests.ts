/** Real-world manifests (as users write them) for schema tests. */
export const deploymentYaml = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
  labels: { app.kubernetes.io/name: checkout, app.kubernetes.io/part-of: shop }
  annotations:
    deployment.kubernetes.io/revision: "3"
    kubectl.kubernetes.io/last-applied-configuration: '{}'
spec:
  replicas: 3
  revisionHistoryLimit: 5
  progressDeadlineSeconds: 300
  minReadySeconds: 5
  selector:
    matchLabels: { app.kubernetes.io/name: checkout }
    matchExpressions:
      - { key: tier, operator: In, values: [web, api] }
  strategy:
    type: RollingUpdate
    rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }
  template:
    metadata:
      labels: { app.kubernetes.io/name: checkout, tier: web }
      annotations: { prometheus.io/scrape: "true" }
    spec:
      serviceAccountName: checkout
      automountServiceAccountToken: false
      priorityClassName: high
      terminationGracePeriodSeconds: 45
      nodeSelector: { kubernetes.io/os: linux }
      imagePullSecrets: [{ name: registry }]
      securityContext: { runAsNonRoot: true, fsGroup: 2000, seccompProfile: { type: RuntimeDefault } }
      dnsConfig: { options: [{ name: ndots, value: "2" }] }
      hostAliases: [{ ip: 127.0.0.1, hostnames: [local.test] }]
      tolerations:
        - { key: dedicated, operator: Equal, value: shop, effect: NoSchedule }
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchExpressions: [{ key: topology.kubernetes.io/zone, operator: In, values: [a, b] }]
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector: { matchLabels: { app.kubernetes.io/name: checkout } }
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector: { matchLabels: { app.kubernetes.io/name: checkout } }
      initContainers:
        - name: migrate
          image: registry.example.com/shop/checkout:1.4.2
          command: [/app/migrate]
          envFrom: [{ secretRef: { name: db } }, { configMapRef: { name: checkout, optional: true }, prefix: CFG_ }]
      containers:
        - name: checkout
          image: registry.example.com/shop/checkout:1.4.2
          imagePullPolicy: IfNotPresent
          args: [--port=8080]
          workingDir: /app
          ports:
            - { name: http, containerPort: 8080, protocol: TCP }
            - { name: metrics, containerPort: 9090 }
          env:
            - { name: POD_NAME, valueFrom: { fieldRef: { fieldPath: metadata.name } } }
            - { name: DB_PASSWORD, valueFrom: { secretKeyRef: { name: db, key: password } } }
            - { name: CPU_LIMIT, valueFrom: { resourceFieldRef: { resource: limits.cpu, divisor: 1m } } }
            - { name: MODE, value: production }
          resources:
            requests: { cpu: 250m, memory: 256Mi, ephemeral-storage: 1Gi }
            limits: { cpu: 1, memory: 512Mi }
          readinessProbe:
            httpGet: { path: /healthz, port: http, httpHeaders: [{ name: X-Probe, value: "1" }] }
            initialDelaySeconds: 5
            periodSeconds: 5
          livenessProbe:
            tcpSocket: { port: 8080 }
            failureThreshold: 5
          startupProbe:
            exec: { command: [cat, /tmp/ready] }
          lifecycle:
            preStop: { exec: { command: [sleep, "5"] } }
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: [ALL] }, readOnlyRootFilesystem: true }
          volumeMounts:
            - { name: config, mountPath: /etc/checkout, readOnly: true }
            - { name: tmp, mountPath: /tmp }
            - { name: data, mountPath: /data, subPath: checkout }
          terminationMessagePolicy: FallbackToLogsOnError
      volumes:
        - name: config
          configMap: { name: checkout, items: [{ key: app.yaml, path: app.yaml }], defaultMode: 0444 }
        - { name: tmp, emptyDir: { medium: Memory, sizeLimit: 64Mi } }
        - { name: data, persistentVolumeClaim: { claimName: checkout-data } }
        - name: certs
          projected: { sources: [{ secret: { name: tls } }] }
        - { name: creds, secret: { secretName: creds, optional: true } }
status:
  observedGeneration: 3
  replicas: 3
  readyReplicas: 3
  conditions:
    - { type: Available, status: "True", reason: MinimumReplicasAvailable, lastUpdateTime: "2024-01-01T00:00:00Z", lastTransitionTime: "2024-01-01T00:00:00Z" }
`;

export const otherManifestsYaml = `
apiVersion: v1
kind: Service
metadata: { name: checkout, namespace: shop }
spec:
  type: LoadBalancer
  selector: { app.kubernetes.io/name: checkout }
  ports:
    - { name: http, port: 80, targetPort: http, protocol: TCP, nodePort: 30080, appProtocol: http }
  externalTrafficPolicy: Local
  sessionAffinity: ClientIP
  sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } }
  loadBalancerSourceRanges: [10.0.0.0/8]
  ipFamilyPolicy: SingleStack
  ipFamilies: [IPv4]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations: { nginx.ingress.kubernetes.io/rewrite-target: / }
spec:
  ingressClassName: skiff
  tls: [{ hosts: [shop.example.com], secretName: shop-tls }]
  defaultBackend: { service: { name: web, port: { number: 80 } } }
  rules:
    - host: shop.example.com
      http:
        paths:
          - { path: /checkout, pathType: Prefix, backend: { service: { name: checkout, port: { name: http } } } }
          - { path: /static, pathType: Exact, backend: { resource: { apiGroup: k8s.example.com, kind: StorageBucket, name: static } } }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: checkout, namespace: shop }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: checkout }
  minReplicas: 2
  maxReplicas: 20
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }
    - type: Pods
      pods: { metric: { name: http_requests_per_second }, target: { type: AverageValue, averageValue: "100" } }
    - type: External
      external:
        metric: { name: queue_depth, selector: { matchLabels: { queue: orders } } }
        target: { type: Value, value: 500 }
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 300
      policies: [{ type: Percent, value: 10, periodSeconds: 60 }]
    scaleUp:
      selectPolicy: Max
      policies: [{ type: Pods, value: 4, periodSeconds: 15 }]
---
apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata: { name: checkout, namespace: shop }
spec:
  targetRef: { apiVersion: apps/v1, kind: Deployment, name: checkout }
  updatePolicy: { updateMode: Auto, minReplicas: 2 }
  resourcePolicy:
    containerPolicies:
      - { containerName: "*", minAllowed: { cpu: 100m, memory: 50Mi }, maxAllowed: { cpu: 1, memory: 500Mi }, controlledResources: [cpu, memory] }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: checkout-data, namespace: shop }
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: fast
  volumeMode: Filesystem
  resources: { requests: { storage: 10Gi } }
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: { name: fast, annotations: { storageclass.kubernetes.io/is-default-class: "true" } }
provisioner: skiff.dev/fake-disk
parameters: { type: ssd }
reclaimPolicy: Delete
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
---
apiVersion: v1
kind: ConfigMap
metadata: { name: checkout, namespace: shop }
data: { app.yaml: "port: 8080" }
---
apiVersion: v1
kind: Secret
metadata: { name: db, namespace: shop }
type: Opaque
stringData: { password: hunter2 }
---
apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { team: shop } }
---
apiVersion: skiff.dev/v1alpha1
kind: NodeGroup
metadata: { name: general }
spec:
  minSize: 1
  maxSize: 10
  template: { capacity: { cpu: "4", memory: 16Gi, pods: "110" }, labels: { pool: general }, taints: [{ key: spot, value: "true", effect: NoSchedule }], instanceType: m5.xlarge }
  pricePerHour: 0.192
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: { name: skiff, annotations: { ingressclass.kubernetes.io/is-default-class: "true" } }
spec: { controller: skiff.dev/ingress }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: checkout-abc, namespace: shop, labels: { kubernetes.io/service-name: checkout } }
addressType: IPv4
ports: [{ name: http, protocol: TCP, port: 8080 }]
endpoints:
  - addresses: [127.0.0.5]
    conditions: { ready: true, serving: true, terminating: false }
    nodeName: node-1
    targetRef: { kind: Pod, name: checkout-1, namespace: shop }
---
apiVersion: batch/v1
kind: Job
metadata: { name: migrate, namespace: shop }
spec:
  completions: 5
  parallelism: 2
  completionMode: Indexed
  backoffLimit: 3
  activeDeadlineSeconds: 600
  ttlSecondsAfterFinished: 100
  podFailurePolicy:
    rules:
      - { action: FailJob, onExitCodes: { containerName: migrate, operator: In, values: [42] } }
      - { action: Ignore, onPodConditions: [{ type: DisruptionTarget }] }
  template:
    spec:
      restartPolicy: Never
      containers:
        - { name: migrate, image: shop/migrate:1.4, command: [./migrate, --step, $(JOB_COMPLETION_INDEX)] }
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: report, namespace: shop }
spec:
  schedule: "0 3 * * 1-5"
  timeZone: Europe/Paris
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 300
  successfulJobsHistoryLimit: 2
  failedJobsHistoryLimit: 2
  jobTemplate:
    metadata: { labels: { app: report } }
    spec:
      backoffLimit: 1
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - { name: report, image: shop/report:2, args: [--daily] }
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: { name: kube-controller-manager, namespace: kube-system }
spec: { holderIdentity: cm-1, leaseDurationSeconds: 15, acquireTime: "2024-01-01T00:00:00.000000Z", renewTime: "2024-01-01T00:00:10.000000Z", leaseTransitions: 2 }
---
apiVersion: v1
kind: Event
metadata: { name: checkout.17a, namespace: shop }
involvedObject: { apiVersion: v1, kind: Pod, name: checkout-1, namespace: shop, uid: abc }
reason: BackOff
message: Back-off restarting failed container
source: { component: kubelet, host: node-1 }
firstTimestamp: "2024-01-01T00:00:00Z"
lastTimestamp: "2024-01-01T00:00:00Z"
count: 3
type: Warning
eventTime: null
reportingComponent: kubelet
reportingInstance: node-1
---
apiVersion: v1
kind: Node
metadata: { name: node-1, labels: { kubernetes.io/hostname: node-1 } }
spec: { providerID: fake://node-1, taints: [{ key: node.kubernetes.io/not-ready, effect: NoSchedule }] }
status:
  capacity: { cpu: "4", memory: 16Gi, pods: "110" }
  allocatable: { cpu: 3900m, memory: 15Gi, pods: "110" }
  conditions: [{ type: Ready, status: "True", lastHeartbeatTime: "2024-01-01T00:00:00Z", lastTransitionTime: "2024-01-01T00:00:00Z", reason: KubeletReady, message: ok }]
  addresses: [{ type: InternalIP, address: 127.0.0.10 }, { type: Hostname, address: node-1 }]
  daemonEndpoints: { kubeletEndpoint: { Port: 10250 } }
  nodeInfo: { kubeletVersion: v1.32.0, operatingSystem: linux, architecture: amd64, containerRuntimeVersion: skiff://0.1, osImage: skiff, kernelVersion: "6", machineID: m, systemUUID: s, bootID: b, kubeProxyVersion: "" }
---
apiVersion: v1
kind: PersistentVolume
metadata: { name: pv-1 }
spec:
  capacity: { storage: 10Gi }
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Delete
  storageClassName: fast
  csi: { driver: skiff.dev/fake-disk, volumeHandle: vol-1, fsType: ext4 }
  claimRef: { kind: PersistentVolumeClaim, namespace: shop, name: checkout-data, uid: u }
  nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: topology.kubernetes.io/zone, operator: In, values: [a] }] }] } }
`;
