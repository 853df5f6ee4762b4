/**
 * The etcd membership reconciler run by the PreSync hook Job. POSIX `sh` with shell builtins and `etcdctl` only
 * (the default tools image, registry.k8s.io/etcd, has a static bash as `/bin/sh` and no coreutils).
 *
 * Inputs (environment): ETCDCTL_ENDPOINTS (the client Service), DESIRED_PEERS (`name=peerURL,...`, every desired
 * member), DESIRED_PEER_URLS (`peerURL,...`), INITIAL_CLUSTER_STATE (`new` | `existing`), REPLICAS, REMOVAL_ORDER (`peerURL,...` of
 * every undesired ordinal up to the maximum, highest first).
 *
 * Steps: read the live member list; remove, one at a time and highest ordinal first, every member whose peer URL is not desired (checking
 * cluster health after each removal); then register every desired member that is missing. Any failure exits
 * non-zero, so the Job retries with back-off and Argo CD does not go on to change the StatefulSet. etcd's own
 * `--strict-reconfig-check` (on) refuses any change that would leave fewer started members than a quorum.
 */
export const ETCD_MEMBERSHIP_SCRIPT = `set -u
say() { printf 'membership: %s\\n' "$*"; }
if ! list=$(etcdctl member list -w simple 2>&1); then
  if [ "$INITIAL_CLUSTER_STATE" = new ]; then
    say "no cluster answers at $ETCDCTL_ENDPOINTS and initialClusterState is new: bootstrap sync, the StatefulSet creates the cluster"
    exit 0
  fi
  say "no cluster answers at $ETCDCTL_ENDPOINTS ($list); refusing to change membership blind, will retry"
  exit 1
fi
live=,
entries=
while IFS=', ' read -r id status name peer client learner; do
  [ -n "$id" ] || continue
  live="$live$peer,"
  entries="$entries $id=$peer"
done <<EOF
$list
EOF
remove=
IFS=,
for url in $REMOVAL_ORDER; do
  unset IFS
  for e in $entries; do
    [ "\${e#*=}" = "$url" ] && remove="$remove $e"
  done
  IFS=,
done
unset IFS
for e in $entries; do
  case ",$DESIRED_PEER_URLS,$REMOVAL_ORDER," in
    *",\${e#*=},"*) ;;
    *) say "member \${e#*=} (id \${e%%=*}) belongs to no ordinal of this StatefulSet; remove it by hand"; exit 1 ;;
  esac
done
add=
IFS=,
for m in $DESIRED_PEERS; do
  case "$live" in
    *",\${m#*=},"*) ;;
    *) add="$add $m" ;;
  esac
done
unset IFS
if [ -z "$remove$add" ]; then
  say "the live members already match the $REPLICAS desired ones"
  exit 0
fi
if [ "$INITIAL_CLUSTER_STATE" = new ]; then
  say "the live members differ from the $REPLICAS desired ones (remove:$remove; add:$add) but initialClusterState is new; set it to existing in Git first (see the ConsensusStatefulSet docs)"
  exit 1
fi
for r in $remove; do
  say "removing member \${r#*=} (id \${r%%=*}) before its pod goes away"
  etcdctl member remove "\${r%%=*}" || { say "etcd refused to remove \${r#*=}; will retry"; exit 1; }
  etcdctl endpoint health --cluster || { say "cluster not healthy after removing \${r#*=}; stopping before any further change"; exit 1; }
done
for a in $add; do
  say "registering member \${a%%=*} at \${a#*=} before it starts"
  etcdctl member add "\${a%%=*}" --peer-urls="\${a#*=}" || { say "etcd refused to register \${a%%=*} (its strict reconfiguration check keeps a quorum of started members); will retry"; exit 1; }
done
say "membership now matches the $REPLICAS desired members"
`;

/** The snapshot uploader: copies the snapshot the init container saved to object storage with a UTC timestamp. */
export const S3_UPLOAD_SCRIPT = `set -eu
key="$SNAPSHOT_PREFIX$(date -u +%Y%m%dT%H%M%SZ).db"
aws s3 cp $AWS_CP_FLAGS "$SNAPSHOT_FILE" "s3://$SNAPSHOT_BUCKET/$key"
printf 'snapshot: uploaded s3://%s/%s\\n' "$SNAPSHOT_BUCKET" "$key"
`;
