# Settings of the `[[ env.name ]]` environment: names, hosts and sizes. The common unit bodies in
# terraform/_envcommon/ read them for each unit below (`local.env`), root.hcl for its tags.
locals {
  name            = "[[ env.name ]]"
  domain          = "[[ env.domain ]]"
  resource_prefix = "[[ env.resource_prefix ]]"
  namespace       = "[[ env.namespace ]]"
  is_production   = [[ env.is_production | tojson ]]

  hosts = {
    lms         = "[[ env.hosts.lms ]]"
    studio      = "[[ env.hosts.studio ]]"
    mfe         = "[[ env.hosts.mfe ]]"
    meilisearch = "[[ env.hosts.meilisearch ]]"
    cdn         = "[[ env.hosts.cdn ]]"
    grafana     = "[[ env.hosts.grafana ]]"
    mysql       = "[[ env.hosts.mysql ]]"
    mongodb     = "[[ env.hosts.mongodb ]]"
    redis       = "[[ env.hosts.redis ]]"
    bastion     = "[[ env.hosts.bastion ]]"
[% if env.plugin_hosts %]
    # Hosts of the chosen Tutor plugins: the ingress serves them like lms (DNS record, certificate).
[% for plugin_host in env.plugin_hosts %]
    [[ plugin_host.name ~ "           "[plugin_host.name | length:] ]] = "[[ plugin_host.host ]]"
[% endfor %]
[% endif %]
  }
[% if answers.tutor_plugins %]
  # The keys of `hosts` above that Tutor plugins serve (the kubernetes-addons unit passes them on).
  plugin_hosts = [[ "[" ~ (env.plugin_hosts | map(attribute="name") | map("tojson") | join(", ")) ~ "]" ]]
[% endif %]

  # S3 bucket names are global across every AWS account: the account id keeps ours unique.
  media_bucket   = "[[ env.resource_prefix ]]-storage-[[ answers.aws_account_id ]]"
  backups_bucket = "[[ env.resource_prefix ]]-backups-[[ answers.aws_account_id ]]"

  # The zone that delegates `domain` to this environment's own hosted zone.
  dns_parent_zone = "[[ env.dns_parent_zone ]]"

  # Contact address of the Let's Encrypt account that issues the web certificates (cert-manager).
  acme_email = "devops@[[ answers.root_domain ]]"

  # Sender of the platform's e-mail (the answer contact_email, else no-reply@ the domain). SES
  # sends from any address of the domain and its subdomains; another address gets an identity
  # of its own, verified by the link AWS mails to it (terraform/modules/ses).
  email_from = "[[ env.email_from ]]"

  # Network: each environment has its own VPC; distinct ranges keep peering possible.
  vpc_cidr           = "[[ env.vpc_cidr ]]"
  single_nat_gateway = [[ (not env.is_production) | tojson ]]
  # Days CloudWatch keeps the VPC flow logs (for investigating traffic after the fact).
  flow_log_retention_days = [[ 90 if env.is_production else 14 ]]

  # Kubernetes
  kubernetes_version = "[[ versions.services.kubernetes ]]"
  # System nodes: the eks unit's managed node group, on-demand, tainted CriticalAddonsOnly so
  # that only Karpenter's controller, CoreDNS and the EKS add-ons run there; at least
  # karpenter_replicas of them (one replica per node).
  eks_system_instance_type = "t3.medium"
  eks_node_min_size        = [[ env.eks_node_min_size if env.is_production else 1 ]]
  eks_node_max_size        = 3
  # The API endpoint is private (reachable from the VPC: bastion, self-hosted runners). List CIDRs
  # here to also open the public endpoint to them, e.g. ["203.0.113.7/32"]; access still needs
  # an EKS access entry (global.hcl: eks_admin_principal_arns).
  eks_public_access_cidrs = []
  # Days CloudWatch keeps the control plane's logs (API audit included).
  eks_log_retention_days = [[ 90 if env.is_production else 14 ]]
[% set node_size = (env.eks_instance_type | split(".") | list)[1] %]

  # Application nodes: Karpenter launches them when pods wait and removes them when they are
  # empty or underused (terraform/modules/karpenter/chart): instance types of these sizes (from
  # the answer eks_instance_type, [[ env.eks_instance_type ]]; "large" at least) of families c, m
  # and r, [[ "spot first, on-demand when spot runs out" if answers.spot_instances else "on-demand (add \"spot\" for spot first)" ]], up to this many vCPUs in all.
  karpenter_instance_sizes = ["[[ "large" if node_size in ["nano", "micro", "small", "medium"] else node_size ]]"]
  karpenter_capacity_types = [[ '["spot", "on-demand"]' if answers.spot_instances else '["on-demand"]' ]]
  karpenter_cpu_limit      = 64

  # The least memory (MiB) of those nodes: the Tutor pod sizes (ci/tutor-deploy config.yml) assume
  # the memory of [[ env.eks_instance_type ]], which a c family node of the same size may lack.
  karpenter_min_instance_memory_mib = [[ env.scaling.node_memory_mib ]]
  # Most nodes that consolidation or drift may replace at once ("1" or a share such as "10%");
  # spot interruptions and expiry (30 days) are not held back by it.
  karpenter_disruption_budget = "[[ "1" if env.is_production else "20%" ]]"
  # Karpenter's controller, on the system nodes.
  karpenter_replicas = [[ 2 if env.is_production else 1 ]]

  # MySQL (Amazon RDS)
  mysql_instance_class        = "[[ env.mysql_instance_class ]]"
  mysql_allocated_storage     = 20
  mysql_max_allocated_storage = 200
  mysql_multi_az              = [[ env.is_production | tojson ]]
  mysql_backup_retention_days = [[ 14 if env.is_production else 7 ]]
  mysql_deletion_protection   = [[ env.is_production | tojson ]]
  # RDS for MySQL refuses Performance Insights on db.t2/t3/t4g micro and small: the generator
  # knows which classes support it (change it with the class).
  mysql_performance_insights = [[ env.mysql_performance_insights | tojson ]]

  # Redis (Amazon ElastiCache, Valkey)
  redis_node_type = "[[ env.redis_node_type ]]"
[% if answers.mongodb == "ec2" %]

  # MongoDB on EC2
  mongodb_instance_type = "[[ env.mongodb_instance_type ]]"
  mongodb_volume_size   = 50
  # EBS snapshots of the data volume (Data Lifecycle Manager) every this many hours, this many
  # kept: a recovery point of hours, not the daily dump's day.
  mongodb_snapshot_interval_hours = [[ 4 if env.is_production else 12 ]]
  mongodb_snapshot_count          = [[ 42 if env.is_production else 14 ]]
[% elif answers.mongodb == "documentdb" %]

  # MongoDB API on Amazon DocumentDB
  documentdb_instance_class = "[[ env.documentdb_instance_class ]]"
  documentdb_instance_count = [[ 2 if env.is_production else 1 ]]
  documentdb_retention_days = [[ 14 if env.is_production else 7 ]]
[% endif %]
[% if answers.bastion %]

  # Bastion: reachable with `aws ssm start-session`; SSH only from these CIDRs (none: SSH closed).
  bastion_instance_type  = "t3.micro"
  bastion_ssh_cidrs      = []
  bastion_ssh_public_key = ""
[% endif %]

  # Daily database dumps to the backups bucket, kept this many days.
  backup_retention_days = [[ 30 if env.is_production else 14 ]]
  backup_schedule       = "15 3 * * *"
}
