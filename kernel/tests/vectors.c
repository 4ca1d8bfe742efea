// SPDX-License-Identifier: GPL-2.0
#include <linux/kernel.h>

#include "vectors.h"
#include "vectors_gen.h"

const size_t aiot_n_prim_vecs = ARRAY_SIZE(aiot_prim_vecs);
const size_t aiot_n_profile_vecs = ARRAY_SIZE(aiot_profile_vecs);
const size_t aiot_n_inv_vecs = ARRAY_SIZE(aiot_inv_vecs);
