//! From an address and an attribute to the place in the code that decides its value: the
//! resource block (through local module calls), the attribute, and, when the attribute's
//! expression is a variable or a local, where that is defined (a variable's `default`, a
//! `.tfvars` assignment, the argument of the module call), as long as that definition is
//! the value's only use. Anything else (a function, a reference to another resource, a
//! value that differs per `count`/`for_each` instance) is reported with its place.

use std::ops::Range;

use hcl::edit::Span;
use hcl::edit::expr::{Expression, TraversalOperator};
use hcl::edit::template::Element;

use super::code::{Address, AttrNode, BlockNode, Code, ModuleCall, ModuleCode};

/// Why a value cannot be patched, and where a person should look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub reason: String,
    pub place: Option<String>,
}

impl Fixed {
    pub fn new(reason: impl Into<String>, place: Option<String>) -> Fixed {
        Fixed { reason: reason.into(), place }
    }
}

/// A resource block found for an address, with the module it is in and the calls that lead
/// there.
pub struct Located<'a> {
    pub address: Address,
    pub module: &'a ModuleCode,
    pub chain: Vec<(&'a ModuleCode, &'a ModuleCall)>,
    pub block: &'a BlockNode,
    /// Instances of this block in the evaluated code (several: `count`/`for_each` on it or
    /// on a module call above it).
    pub instances: usize,
}

/// An expression that can be replaced in place: its file and span, the expression, and
/// the definitions followed to reach it (`var.name (variables.tf:3)`).
#[derive(Debug, Clone)]
pub struct Target {
    pub file: usize,
    pub span: Range<usize>,
    pub expr: Expression,
    pub via: Vec<String>,
}

/// Find the block of `address`; `instances` counts the evaluated instances of that block.
pub fn locate<'a>(code: &'a Code, address: &str, instances: usize) -> Result<Located<'a>, Fixed> {
    let parsed = Address::parse(address)
        .ok_or_else(|| Fixed::new(format!("{address} is not a managed resource address"), None))?;
    let (module, chain) = code.module_of(&parsed.modules).ok_or_else(|| {
        Fixed::new(format!("the module of {address} is not a local module of the code directory"), None)
    })?;
    let block = module.resources.get(&(parsed.rtype.clone(), parsed.name.clone())).ok_or_else(|| {
        Fixed::new(
            format!("no resource block for {address} in the code (removed from the code, or another directory?)"),
            None,
        )
    })?;
    Ok(Located { address: parsed, module, chain, block, instances })
}

impl<'a> Located<'a> {
    pub fn place(&self, code: &Code) -> String {
        code.place(self.block.file, self.block.span.start)
    }

    /// A literal in this block is shared by every instance: edit it only when there is one.
    pub fn shared_literal(&self, code: &Code, what: &str) -> Result<(), Fixed> {
        if self.instances > 1 {
            return Err(Fixed::new(
                format!(
                    "{what} is written once for {} instances (count/for_each): the value differs per instance; set it per instance (a map in for_each, a variable)",
                    self.instances
                ),
                Some(self.place(code)),
            ));
        }
        Ok(())
    }
}

/// The place that decides an attribute's value, following variables and locals.
pub fn resolve(code: &Code, loc: &Located, attr: &AttrNode) -> Result<Target, Fixed> {
    let scope = Scope { module: loc.module, chain: loc.chain.clone() };
    let t = follow(code, &scope, attr.file, &attr.expr, attr.expr_span.clone(), Vec::new(), 0)?;
    if t.via.is_empty() {
        loc.shared_literal(code, &attr.key)?;
    }
    Ok(t)
}

/// Resolve an expression found somewhere in a module (an object's value, a list element).
pub fn resolve_expr(
    code: &Code,
    loc: &Located,
    file: usize,
    expr: &Expression,
    span: Range<usize>,
) -> Result<Target, Fixed> {
    let scope = Scope { module: loc.module, chain: loc.chain.clone() };
    let t = follow(code, &scope, file, expr, span, Vec::new(), 0)?;
    if t.via.is_empty() && loc.instances > 1 {
        loc.shared_literal(code, "the value")?;
    }
    Ok(t)
}

#[derive(Clone)]
struct Scope<'a> {
    module: &'a ModuleCode,
    chain: Vec<(&'a ModuleCode, &'a ModuleCall)>,
}

const MAX_FOLLOW: usize = 16;

fn follow(
    code: &Code,
    scope: &Scope,
    file: usize,
    expr: &Expression,
    span: Range<usize>,
    via: Vec<String>,
    depth: usize,
) -> Result<Target, Fixed> {
    let place = || Some(code.place(file, span.start));
    if depth > MAX_FOLLOW {
        return Err(Fixed::new("variables and locals refer to each other too deeply", place()));
    }
    match expr {
        Expression::Parenthesis(p) => {
            let inner = p.inner();
            let s = inner.span().unwrap_or(span);
            follow(code, scope, file, inner, s, via, depth + 1)
        }
        Expression::StringTemplate(t) => {
            // `"${var.x}"` is `var.x`; any other template is computed.
            let elems: Vec<&Element> = t.iter().collect();
            if let [Element::Interpolation(i)] = elems.as_slice() {
                let s = i.expr.span().unwrap_or(span);
                return follow(code, scope, file, &i.expr, s, via, depth + 1);
            }
            Err(Fixed::new("the value is built by a string template", place()))
        }
        Expression::Traversal(t) => {
            let Expression::Variable(root) = &t.expr else {
                return Err(Fixed::new("the value is computed by an expression", place()));
            };
            let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
            let name = match ops.as_slice() {
                [TraversalOperator::GetAttr(n)] => n.as_str().to_string(),
                _ => {
                    return Err(Fixed::new(
                        format!("the value comes from {}", code.text(file).get(span.clone()).unwrap_or("a reference")),
                        place(),
                    ));
                }
            };
            match root.as_str() {
                "var" => follow_var(code, scope, file, span, &name, via, depth),
                "local" => follow_local(code, scope, file, span, &name, via, depth),
                other => Err(Fixed::new(
                    format!(
                        "the value comes from {other}.{name} (another resource, a data source or the module's inputs)"
                    ),
                    place(),
                )),
            }
        }
        Expression::Variable(_) => Err(Fixed::new("the value is a bare name", place())),
        Expression::Null(_)
        | Expression::Bool(_)
        | Expression::Number(_)
        | Expression::String(_)
        | Expression::Array(_)
        | Expression::Object(_) => Ok(Target { file, span, expr: expr.clone(), via }),
        Expression::HeredocTemplate(_) => Ok(Target { file, span, expr: expr.clone(), via }),
        _ => Err(Fixed::new("the value is computed by an expression (function, conditional, for)", place())),
    }
}

fn only_use(code: &Code, module: &ModuleCode, what: &str, name: &str, def_place: String) -> Result<(), Fixed> {
    let uses = code.uses(module, what, name);
    if uses.len() > 1 {
        let at: Vec<String> = uses.iter().map(|(f, o)| code.place(*f, *o)).collect();
        return Err(Fixed::new(
            format!(
                "{what}.{name} is used {} times ({}): change it where it is defined if every use should change",
                uses.len(),
                at.join(", ")
            ),
            Some(def_place),
        ));
    }
    Ok(())
}

fn follow_local(
    code: &Code,
    scope: &Scope,
    file: usize,
    span: Range<usize>,
    name: &str,
    mut via: Vec<String>,
    depth: usize,
) -> Result<Target, Fixed> {
    let Some(def) = scope.module.locals.get(name) else {
        return Err(Fixed::new(format!("local.{name} is not declared"), Some(code.place(file, span.start))));
    };
    let def_place = code.place(def.file, def.span.start);
    only_use(code, scope.module, "local", name, def_place.clone())?;
    via.push(format!("local.{name} ({def_place})"));
    follow(code, scope, def.file, &def.expr, def.expr_span.clone(), via, depth + 1)
}

fn follow_var(
    code: &Code,
    scope: &Scope,
    file: usize,
    span: Range<usize>,
    name: &str,
    mut via: Vec<String>,
    depth: usize,
) -> Result<Target, Fixed> {
    let Some(decl) = scope.module.variables.get(name) else {
        return Err(Fixed::new(format!("var.{name} is not declared"), Some(code.place(file, span.start))));
    };
    let decl_place = code.place(decl.file, decl.span.start);
    only_use(code, scope.module, "var", name, decl_place.clone())?;
    if scope.chain.is_empty() {
        // Root variable: the last variables file that sets it wins, else its default.
        if let Some(a) = code.tfvars.iter().rev().find(|a| a.key == name) {
            let p = code.place(a.file, a.span.start);
            via.push(format!("var.{name} ({p})"));
            return follow(code, scope, a.file, &a.expr, a.expr_span.clone(), via, depth + 1);
        }
        if let Some(d) = decl.attr("default") {
            via.push(format!("var.{name} default ({decl_place})"));
            return follow(code, scope, d.file, &d.expr, d.expr_span.clone(), via, depth + 1);
        }
        return Err(Fixed::new(
            format!(
                "var.{name} has no default and no value in a variables file: it is given at apply time (-var, TF_VAR_{name}); change it there"
            ),
            Some(decl_place),
        ));
    }
    // A module's variable: the argument of the call (one call, no count / for_each).
    let mut chain = scope.chain.clone();
    let (parent, call) = chain.pop().expect("non-empty chain");
    let call_place = code.place(call.block.file, call.block.span.start);
    if call.block.is_repeated() {
        return Err(Fixed::new(
            format!(
                "var.{name} differs per instance of module {} (count/for_each): set it per instance",
                call.block.labels.first().cloned().unwrap_or_default()
            ),
            Some(call_place),
        ));
    }
    if let Some(arg) = call.block.attr(name) {
        via.push(format!("module argument {name} ({})", code.place(arg.file, arg.span.start)));
        let parent_scope = Scope { module: parent, chain };
        return follow(code, &parent_scope, arg.file, &arg.expr, arg.expr_span.clone(), via, depth + 1);
    }
    if let Some(d) = decl.attr("default") {
        if code.calls_to(&scope.module.dir) == 1 {
            via.push(format!("var.{name} default ({decl_place})"));
            return follow(code, scope, d.file, &d.expr, d.expr_span.clone(), via, depth + 1);
        }
        return Err(Fixed::new(
            format!("var.{name} takes its default, shared by every call of the module: pass it in the call instead"),
            Some(call_place),
        ));
    }
    Err(Fixed::new(format!("var.{name} has no value in the module call"), Some(call_place)))
}

/// Whether an expression is a literal (what `plumb fix` may rewrite in place).
pub fn is_literal(expr: &Expression) -> bool {
    match expr {
        Expression::Null(_) | Expression::Bool(_) | Expression::Number(_) | Expression::String(_) => true,
        Expression::Array(a) => a.iter().all(is_literal),
        Expression::Object(o) => o
            .iter()
            .all(|(k, v)| k.is_ident() || matches!(k.as_expr(), Some(Expression::String(_))) && is_literal(v.expr())),
        _ => false,
    }
}
