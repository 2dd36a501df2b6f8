/* unit.h - the suites the CUnit runner registers, one per stage. */
#ifndef DEPC_TESTS_UNIT_H
#define DEPC_TESTS_UNIT_H

int suite_source(void);
int suite_diag(void);
int suite_lexer(void);
int suite_parser(void);
int suite_reparse(void);
int suite_semantic(void);
int suite_validate(void);
int suite_output(void);
int suite_grafana(void);
int suite_k8s(void);
int suite_escape(void);
int suite_units(void);
int suite_secret(void);

#endif
