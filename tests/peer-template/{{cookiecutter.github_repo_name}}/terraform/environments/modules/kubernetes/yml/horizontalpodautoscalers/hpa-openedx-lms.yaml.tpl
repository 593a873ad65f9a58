apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: lms
  namespace: ${environment_namespace}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: lms
  maxReplicas: 2
  minReplicas: 2
