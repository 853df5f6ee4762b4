/**
 * The etcd membership reconciler run by the PreSync hook Job. POSIX `sh` with shell builtins and `etcdctl` only
 * (the default tools image, registry.k8s.io/etcd, has a static bash as `/bin/sh` and no coreutils).
 *
 * Inputs (environment): ETCDCTL_ENDPOINTS (the client Service), DESIRED_PEERS (`name=peerURL,...`, every desired
 * member), DESIRED_PEER_URLS (`peerURL,...`), INITIAL_CLUSTER_STATE (`new` | `existing`), REPLICAS, REMOVAL_ORDER
 * (`peerURL,...` of every undesired ordinal up to the maximum, highest first), QUORUM_CHECK_TIMEOUT (how long the
 * quorum check may take, a Go duration).
 *
 * Steps: read the live member list; refuse, changing nothing, what cannot be done safely (see below); check that the
 * cluster has a quorum (a linearizable read: `member list` is answered from one member's own view, even by a member
 * cut off from the majority); remove, one at a time and highest ordinal first, every member whose peer URL is not
 * desired (checking cluster health after each removal); then register the missing desired members. Any failure exits
 * non-zero, so the Job retries with back-off and Argo CD does not go on to change the StatefulSet.
 *
 * Growing, as real etcd members showed (3.4 and 3.5 alike):
 * - a joining member's `ETCD_INITIAL_CLUSTER` must list exactly the cluster's members ("member count is unequal"),
 *   and the StatefulSet gives every pod the full desired list, so all new members are registered before any starts;
 * - `--strict-reconfig-check` refuses a second unstarted voter ("unhealthy cluster": the leader must have been
 *   connected to every voter for 5 s), and etcd allows one learner at a time (3.4: fixed; 3.5: `--max-learners`,
 *   default 1). So the Job grows by at most two per sync: the lower new ordinal as a learner, the higher as a voter.
 *   The member join step ({@link ETCD_JOIN_SCRIPT}) starts them one after the other and promotes the learner.
 * - an unstarted voter must not cost the quorum: with 3 started voters, a 4th unstarted one leaves a quorum of 3
 *   (no failure tolerated until it starts); a one-member cluster would lose its quorum, so it is not grown in place.
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
voters=0
started_voters=0
while IFS=', ' read -r id status name peer client learner; do
  [ -n "$id" ] || continue
  live="$live$peer,"
  entries="$entries $id=$peer"
  if [ "$learner" != true ]; then
    voters=$((voters + 1))
    [ "$status" = started ] && started_voters=$((started_voters + 1))
  fi
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
missing=0
IFS=,
for m in $DESIRED_PEERS; do
  case "$live" in
    *",\${m#*=},"*) ;;
    *) add="$add $m"; missing=$((missing + 1)) ;;
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
if [ "$missing" -gt 2 ]; then
  say "$missing members are missing (add:$add); etcd takes one unstarted voter and one learner at a time, so grow by at most two members per sync (e.g. 3 -> 5, then 5 -> 7); changing nothing"
  exit 1
fi
if [ "$missing" -eq 2 ] && [ "$started_voters" -lt $(((voters + 1) / 2 + 1)) ]; then
  say "$started_voters of $voters voters run: one more voter that has not started yet would leave no quorum, so the cluster cannot grow by two in place; changing nothing (restore a snapshot into a new cluster of the size you want)"
  exit 1
fi
# (etcdctl refuses a flag whose ETCDCTL_* variable is also set, so the timeout is given as the variable.)
if ! health=$(ETCDCTL_COMMAND_TIMEOUT=$QUORUM_CHECK_TIMEOUT etcdctl endpoint health 2>&1); then
  say "the cluster has no quorum at $ETCDCTL_ENDPOINTS ($health); changing nothing, will retry"
  exit 1
fi
for r in $remove; do
  say "removing member \${r#*=} (id \${r%%=*}) before its pod goes away"
  etcdctl member remove "\${r%%=*}" || { say "etcd refused to remove \${r#*=}; will retry"; exit 1; }
  etcdctl endpoint health --cluster || { say "cluster not healthy after removing \${r#*=}; stopping before any further change"; exit 1; }
done
as=
[ "$missing" -eq 2 ] && as=--learner
for a in $add; do
  if [ -n "$as" ]; then
    say "registering member \${a%%=*} at \${a#*=} as a learner: it starts first, and the next new member promotes it once it has caught up"
    etcdctl member add "\${a%%=*}" --learner --peer-urls="\${a#*=}" || { say "etcd refused to register \${a%%=*} as a learner; will retry"; exit 1; }
    as=
  else
    say "registering member \${a%%=*} at \${a#*=} before it starts"
    etcdctl member add "\${a%%=*}" --peer-urls="\${a#*=}" || { say "etcd refused to register \${a%%=*} (its strict reconfiguration check keeps a quorum of started members); will retry"; exit 1; }
  fi
done
say "membership now matches the $REPLICAS desired members"
`;

/**
 * The member join step: an init container of every member pod, in the tools image (POSIX `sh` with builtins and
 * `etcdctl`; `sleep` is used where there is one, else bash's `read -t`). A member with data, or one bootstrapping a
 * new cluster, starts at once. A member joining an existing cluster waits, polling the member list, until
 * - the membership hook has registered it, and
 * - every member before it in `ETCD_INITIAL_CLUSTER` has started: two members joining at once block each other
 *   (each asks the other for its version before serving; etcd 3.4 waits for the answer with no timeout, a hang the
 *   real members showed; later releases added a timeout, etcd#13623), so new members join one at a time;
 * then promotes any learner among those earlier members (the hook registers the first of two new members as a
 * learner; etcd promotes it once it has caught up) and exits, and the member container starts. It gives up after
 * about ten minutes (the kubelet restarts it); a started member without data (a lost volume) is refused with the fix.
 *
 * Inputs (environment): ETCD_NAME, ETCD_DATA_DIR, ETCD_INITIAL_ADVERTISE_PEER_URLS, ETCD_INITIAL_CLUSTER,
 * ETCD_INITIAL_CLUSTER_STATE (as the member gets them), ETCDCTL_ENDPOINTS (the client Service).
 */
export const ETCD_JOIN_SCRIPT = `set -u
last=
say() { [ "$*" = "$last" ] || printf 'join: %s\\n' "$*"; last=$*; }
pause() { if command -v sleep >/dev/null 2>&1; then sleep 1; else eval 'read -rt 1 <> <(:)' || :; fi; }
if [ -d "$ETCD_DATA_DIR/member" ]; then
  say "$ETCD_NAME has data: it restarts as the member it was"
  exit 0
fi
if [ "$ETCD_INITIAL_CLUSTER_STATE" = new ]; then
  say "$ETCD_NAME bootstraps a new cluster with the other initial members"
  exit 0
fi
me=$ETCD_INITIAL_ADVERTISE_PEER_URLS
earlier=
IFS=,
for m in $ETCD_INITIAL_CLUSTER; do
  [ "\${m#*=}" = "$me" ] && break
  earlier="$earlier \${m#*=}"
done
unset IFS
attempt=0
while [ "$attempt" -lt 600 ]; do
  attempt=$((attempt + 1))
  [ "$attempt" -eq 1 ] || pause
  if ! list=$(etcdctl member list -w simple 2>&1); then
    say "no cluster answers at $ETCDCTL_ENDPOINTS; waiting ($list)"
    continue
  fi
  self=
  waiting=
  learners=
  while IFS=', ' read -r id status name peer client learner; do
    [ -n "$id" ] || continue
    if [ "$peer" = "$me" ]; then self=$status; continue; fi
    case " $earlier " in *" $peer "*) ;; *) continue ;; esac
    if [ "$status" != started ]; then waiting="$waiting $peer"
    elif [ "$learner" = true ]; then learners="$learners $id=$peer"
    fi
  done <<EOF
$list
EOF
  if [ -z "$self" ]; then say "$me is not a member yet; waiting for the membership hook to register it"; continue; fi
  if [ "$self" = started ]; then
    say "$me is a started member but $ETCD_DATA_DIR holds no data (a lost volume?): remove it (etcdctl member remove) and sync again, so the membership hook registers it afresh"
    exit 1
  fi
  if [ -n "$waiting" ]; then say "waiting for$waiting to start first: members join one at a time"; continue; fi
  for l in $learners; do
    if etcdctl member promote "\${l%%=*}"; then
      say "promoted learner \${l#*=} to a voter"
    else
      say "learner \${l#*=} has not caught up yet; waiting to promote it"
      continue 2
    fi
  done
  say "$ETCD_NAME joins the cluster"
  exit 0
done
say "gave up after $attempt attempts; the kubelet restarts this step"
exit 1
`;

/** The snapshot uploader: copies the snapshot the init container saved to object storage with a UTC timestamp. */
export const S3_UPLOAD_SCRIPT = `set -eu
key="$SNAPSHOT_PREFIX$(date -u +%Y%m%dT%H%M%SZ).db"
aws s3 cp $AWS_CP_FLAGS "$SNAPSHOT_FILE" "s3://$SNAPSHOT_BUCKET/$key"
printf 'snapshot: uploaded s3://%s/%s\\n' "$SNAPSHOT_BUCKET" "$key"
`;
