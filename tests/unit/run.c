/* run.c - the CUnit runner: registers every suite, runs them, and exits
 * non-zero when any test fails, so `make check` sees the result. */
#include <CUnit/Basic.h>
#include <stdio.h>

#include "unit.h"

typedef int (*suite_fn)(void);

static const suite_fn suites[] = {
	suite_source,
	suite_diag,
	suite_lexer,
	suite_parser,
	suite_reparse,
	suite_semantic,
	suite_validate,
	suite_output,
	suite_grafana,
	suite_k8s,
	suite_escape,
	suite_units,
	suite_secret,
};

int main(void)
{
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) {
		if (suites[i]() != 0) {
			fprintf(stderr, "cannot register suite %zu\n", i);
			CU_cleanup_registry();
			return 2;
		}
	}
	CU_basic_set_mode(CU_BRM_NORMAL);
	CU_basic_run_tests();
	unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
