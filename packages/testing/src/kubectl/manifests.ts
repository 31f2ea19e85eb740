/** The manifests the kubectl session applies, as a user would write them (YAML, `-f -`). */

export const configMap = (data: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels:
    app: web
data:
${data}
`;

export const deployment = (image: string, replicas = 2) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: main
        image: ${image}
        ports:
        - containerPort: 8080
`;

export const UNKNOWN_FIELD = `apiVersion: v1
kind: ConfigMap
metadata:
  name: typo
  labelz:
    app: web
data:
  a: "1"
`;

export const SECRET_STRING_DATA = `apiVersion: v1
kind: Secret
metadata:
  name: creds
stringData:
  user: admin
`;

export const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 8080
`;

export const MAPPINGS_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: routes.kubectl.kates.dev
spec:
  group: kubectl.kates.dev
  scope: Namespaced
  names:
    plural: routes
    singular: route
    kind: Route
    shortNames: [rt]
  versions:
  - name: v1
    served: true
    storage: true
    additionalPrinterColumns:
    - name: Prefix
      type: string
      jsonPath: .spec.prefix
    - name: Weight
      type: integer
      jsonPath: .spec.weight
    - name: Service
      type: string
      jsonPath: .spec.service
      priority: 1
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
    schema:
      openAPIV3Schema:
        type: object
        description: A route sends a path prefix to a service.
        properties:
          spec:
            type: object
            description: Where the route goes.
            required: [prefix, service]
            properties:
              prefix:
                type: string
                description: The path prefix to match.
              service:
                type: string
                description: The service that answers.
              weight:
                type: integer
                minimum: 0
                maximum: 100
`;

export const route = (name: string, prefix: string, weight: number) => `apiVersion: kubectl.kates.dev/v1
kind: Route
metadata:
  name: ${name}
spec:
  prefix: ${prefix}
  service: web
  weight: ${weight}
`;

export const ROUTE_UNKNOWN_FIELD = `apiVersion: kubectl.kates.dev/v1
kind: Route
metadata:
  name: bad
spec:
  prefix: /x
  service: web
  wieght: 3
`;

export const STORAGE = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: kubectl-slow
provisioner: example.com/none
reclaimPolicy: Retain
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: kubectl-pv
spec:
  capacity:
    storage: 1Gi
  accessModes: [ReadWriteOnce]
  storageClassName: kubectl-slow
  hostPath:
    path: /tmp/kubectl-pv
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: kubectl-slow
  resources:
    requests:
      storage: 1Gi
`;

export const NETWORK_POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;

export const POD = `apiVersion: v1
kind: Pod
metadata:
  name: solo
  labels:
    app: solo
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: [sleep, "3600"]
`;
