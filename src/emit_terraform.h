/* emit_terraform.h - what the parts of the terraform backend share.
 *
 * The backend is split by file written: emit_terraform.c (versions,
 * provider, variables, outputs, and the shared helpers below),
 * emit_terraform_network.c (network.tf, security.tf),
 * emit_terraform_endpoints.c (endpoints.tf),
 * emit_terraform_ecs.c (ecs.tf, storage.tf, logs.tf),
 * emit_terraform_iam.c (iam.tf, audit.tf) and emit_terraform_alb.c
 * (alb.tf).  Each part decides from the model alone whether a resource
 * exists, through the predicates here, so a reference in one file always
 * has its declaration in another. */
#ifndef DEPC_EMIT_TERRAFORM_H
#define DEPC_EMIT_TERRAFORM_H

#include <stdbool.h>

#include "hcl_out.h"
#include "model.h"
#include "output.h"

struct tf {
	struct hcl_out h;            /* the file being written */
	struct output *o;
	struct arena *a;
	const struct model *m;
	const struct model_cloud *c;
	const char *path;            /* of the file being written */
};

/* Starts terraform/NAME with the banner and a comment line on what it
 * holds; false (o->error set) when the output refused it. */
bool tf_begin(struct tf *t, const char *name, const char *what);
/* Ends the file; false when the writer was misused. */
bool tf_end(struct tf *t);

/* A Terraform label from a depc name: "db-data" -> "db_data". */
const char *tf_label(struct tf *t, const char *name);
/* APP-NAME, lowercase letters, digits and '-', at most `max` characters:
 * for AWS names with tight rules (load balancers: 32). */
const char *tf_aws_name(struct tf *t, const char *name, size_t max);

bool tf_has_ecs(const struct model *m);
bool tf_has_ingress(const struct model *m);
/* The load balancer writes access logs: some ingress service keeps
 * access_log on.  (One balancer serves them all, and its logs cannot be
 * turned off for one host, so a single service asking for them wins.) */
bool tf_alb_logs(const struct model *m);
/* audit.tf has the log bucket: for CloudTrail, or for access logs. */
bool tf_has_log_bucket(const struct model *m);
bool tf_service_has_secrets(const struct model_service *s);
/* secrets.tf looks the secret up: a service reads it, or a registry
 * pulls an image with it (repositoryCredentials). */
bool tf_secret_needed(const struct model_secret *sec);
/* emit_terraform_iam.c: an inline role policy, its Statement list open. */
void tf_role_policy_open(struct tf *t, const char *label, const char *role, const char *name);
void tf_role_policy_close(struct tf *t);
/* The service's image is in a registry of AWS (ECR), reached through
 * the VPC endpoints; any other is pulled over the internet. */
bool tf_image_in_aws(const struct model *m, const struct model_service *s);
/* endpoints.tf: the VPC endpoints the tasks reach AWS through, when the
 * deployment needs each (emit_terraform_endpoints.c). */
bool tf_has_ecr_endpoints(const struct model *m);
bool tf_has_secrets_endpoint(const struct model *m);
/* The valueFrom of a container secret: the secret's ARN, with its JSON
 * key when it names a property. */
const char *tf_secret_value_from(struct tf *t, const struct model_secret *sec);
/* emit_terraform_composed.c: a service's composed secret values, their
 * parts as container secrets and the wrapper that composes them; and
 * the parts the execution role must read that `secrets` does not list. */
void tf_composed_secrets(struct tf *t, const struct model_service *s);
void tf_composed_command(struct tf *t, const struct model_service *s);
void tf_composed_policy_resources(struct tf *t, const struct model_service *s);
/* The pipeline redeploys ECS services, so iam.tf has a role for it. */
bool tf_has_deploy_role(const struct model *m);

/* Seconds, clamped to [lo, hi]. */
long tf_seconds(int64_t ms, long lo, long hi);

bool emit_terraform_network(struct tf *t);
bool emit_terraform_security(struct tf *t);
bool emit_terraform_endpoints(struct tf *t);
bool emit_terraform_ecs(struct tf *t);
bool emit_terraform_storage(struct tf *t);
bool emit_terraform_logs(struct tf *t);
bool emit_terraform_iam(struct tf *t);
bool emit_terraform_audit(struct tf *t);
bool emit_terraform_alb(struct tf *t);
/* emit_terraform_jobs.c: jobs.tf, a task definition per job, a schedule
 * per scheduled job, and what the CI deploy role needs to run the rest. */
bool emit_terraform_jobs(struct tf *t);
/* emit_terraform_ecs.c: the Fargate task definition of a container. */
void tf_put_task(struct tf *t, const struct model_service *s);

#endif
