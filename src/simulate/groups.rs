//! The uncertain inputs as the analyses of variance and of value report them: one group per
//! input path (a per-year input's draws together), and inputs correlated with each other in
//! one group, since a correlated input cannot be moved alone without breaking the joint
//! distribution every index and EVPPI is defined over.

use crate::scenario::uncertain::Uncertainty;

/// Variables reported together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The input paths, joined by ` + ` for a correlated set.
    pub name: String,
    /// The input paths in the group, in the scenario's order.
    pub inputs: Vec<String>,
    /// The variables (columns of the draws) in the group, in order.
    pub variables: Vec<usize>,
    /// True for a set of inputs correlated with each other.
    pub correlated: bool,
}

/// The groups of `uncertainty`'s variables, in the order of their first variable.
pub fn groups(uncertainty: &Uncertainty) -> Vec<Group> {
    let variables = &uncertainty.variables;
    // Union-find over input paths, joined by each correlation.
    let mut inputs: Vec<&str> = Vec::new();
    for v in variables {
        if !inputs.contains(&v.input.as_str()) {
            inputs.push(&v.input);
        }
    }
    let mut parent: Vec<usize> = (0..inputs.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let index = |name: &str| inputs.iter().position(|i| *i == name);
    for (a, b, rank) in &uncertainty.correlations {
        if *rank == 0.0 {
            continue;
        }
        if let (Some(a), Some(b)) = (index(a), index(b)) {
            let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut groups: Vec<(usize, Group)> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let r = root(&mut parent, i);
        let members: Vec<usize> = (0..variables.len())
            .filter(|v| variables[*v].input == *input)
            .collect();
        match groups.iter_mut().find(|(root, _)| *root == r) {
            Some((_, group)) => {
                group.inputs.push(input.to_string());
                group.variables.extend(members);
                group.name = group.inputs.join(" + ");
                group.correlated = true;
            }
            None => groups.push((
                r,
                Group {
                    name: input.to_string(),
                    inputs: vec![input.to_string()],
                    variables: members,
                    correlated: false,
                },
            )),
        }
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn correlated_inputs_are_one_group_and_per_year_draws_one_input() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/leicestershire/scenario4-uncertain.yaml");
        let scenario = crate::scenario::load(&path).unwrap();
        let groups = groups(&scenario.uncertainty);
        let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "users.installs + benefits.care_hours.share",
                "users.attrition",
                "benefits.care_hours.hours_per_week",
                "benefits.care_hours.hourly_cost",
                "costs.technology.unit_cost",
            ]
        );
        assert!(groups[0].correlated && !groups[1].correlated);
        assert_eq!(groups[0].variables, [0, 2]);
        let mut uncertainty = scenario.uncertainty.clone();
        uncertainty.correlations.clear();
        assert_eq!(super::groups(&uncertainty).len(), 6);
    }
}
